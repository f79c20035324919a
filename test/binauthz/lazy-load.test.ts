// Importing shared/binauthz loads no Grafeas or gax code (cold start); the first client does.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const INDEX = fileURLToPath(
  new URL('../../shared/binauthz/index.js', import.meta.url)
);

// Counts CommonJS modules of @google-cloud/grafeas and google-gax a fresh process has loaded.
const script = (create: boolean) => `
  import { createRequire } from 'node:module';
  const b = await import(${JSON.stringify(INDEX)});
  if (${create}) await (await b.createGrafeasClient({ endpoint: '127.0.0.1:1' })).close();
  const cache = createRequire(import.meta.url).cache;
  console.log(Object.keys(cache).filter((k) => /grafeas|google-gax/.test(k)).length);
`;

const loaded = (create: boolean) =>
  Number(
    execFileSync(
      process.execPath,
      ['--input-type=module', '-e', script(create)],
      {
        env: { ...process.env, METADATA_SERVER_DETECTION: 'none' },
      }
    ).toString()
  );

describe('shared/binauthz loading', () => {
  it('imports without loading @google-cloud/grafeas; createGrafeasClient loads it', () => {
    assert.equal(loaded(false), 0);
    assert.ok(loaded(true) > 0);
  });
});
