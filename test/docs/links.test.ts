// Every relative link (and #anchor) in README.md, CONTRIBUTING.md and docs/*.md resolves.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import {
  anchors,
  docFiles,
  relativeLinks,
  repoRoot,
  slug,
} from './markdown.js';

const root = repoRoot();

// The problem with one link from `file`, or undefined when it resolves.
function brokenLink(file: string, link: string): string | undefined {
  const [path = '', anchor] = link.split('#', 2);
  const target = path === '' ? file : normalize(join(dirname(file), path));
  if (target.startsWith('..')) return `${link}: leaves the repository`;
  if (!existsSync(join(root, target))) return `${link}: no ${target}`;
  if (anchor === undefined || !target.endsWith('.md')) return undefined;
  const text = readFileSync(join(root, target), 'utf8');
  return anchors(text).has(decodeURIComponent(anchor))
    ? undefined
    : `${link}: no heading #${anchor} in ${target}`;
}

describe('documentation links', () => {
  it('computes GitHub anchors', () => {
    assert.equal(
      slug('Stores (`--store` / `STORE`) and layout'),
      'stores---store--store-and-layout'
    );
    assert.equal(
      slug('What `build:deploy` produces'),
      'what-builddeploy-produces'
    );
    assert.deepEqual(
      [...anchors('# A\n```\n# not a heading\n```\n## A\n')],
      ['a', 'a-1']
    );
  });

  it('finds relative links outside code only', () => {
    const text =
      'see [x](docs/a.md#b), [y](https://e.org) `[z](c.md)`\n```\n[w](d.md)\n```\n';
    assert.deepEqual(relativeLinks(text), ['docs/a.md#b']);
  });

  for (const file of docFiles(root)) {
    it(`${file}: every relative link resolves`, () => {
      const text = readFileSync(join(root, file), 'utf8');
      const broken = relativeLinks(text)
        .map((link) => brokenLink(file, link))
        .filter((p) => p !== undefined);
      assert.deepEqual(broken, []);
    });
  }

  it('README.md links to every file in docs/', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const linked = new Set(relativeLinks(readme).map((l) => l.split('#')[0]));
    const docs = docFiles(root).filter((f) => f.startsWith('docs/'));
    assert.deepEqual(
      docs.filter((f) => !linked.has(f)),
      []
    );
  });
});
