// The example policy of docs/verify.md is a valid policy that trusts the same tasks as the shipped one.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePolicy } from '../../shared/verify/policy.js';
import { repoRoot } from './markdown.js';

const root = repoRoot();

// The first yaml block under docs/verify.md's "## Policy" heading.
function docPolicy(): string {
  const doc = readFileSync(join(root, 'docs/verify.md'), 'utf8');
  const section = doc.split('\n## Policy\n')[1] ?? '';
  const block = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(block, 'docs/verify.md has a yaml policy under "## Policy"');
  return block;
}

describe('docs/verify.md: the example policy', () => {
  it('parses with every key it shows', () => {
    const policy = parsePolicy(docPolicy(), 'docs/verify.md');
    assert.equal(policy.allowInlineTasks, false);
    assert.equal(policy.requireTriggerEvent, true);
    assert.equal(policy.eventBindings.length, 2);
    assert.deepEqual(policy.allowedBuilderIds, [
      'https://tekton.dev/chains/v2',
    ]);
    assert.equal(policy.maxAgeMs, 30 * 24 * 3600 * 1000);
  });

  it('trusts the tasks examples/tep-0084/policy.yaml trusts', () => {
    const shipped = parsePolicy(
      readFileSync(join(root, 'examples/tep-0084/policy.yaml'), 'utf8'),
      'examples/tep-0084/policy.yaml'
    );
    const doc = parsePolicy(docPolicy(), 'docs/verify.md');
    assert.deepEqual(doc.trustedTasks, shipped.trustedTasks);
    assert.deepEqual(doc.eventBindings, shipped.eventBindings);
  });
});
