// `npm run demo` is the README's first command: run the built demo as a user would and check its verdicts.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

describe('npm run demo', function () {
  this.timeout(120_000);

  it('signs the webhook events, attests both pipelines and verifies: clean passes, inject-miner fails', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['dist/scripts/demo.js'],
      { cwd: repoRoot, env: { ...process.env, EMBED_TRIGGER_EVENT: '' } }
    );
    assert.match(
      stdout,
      /forged body \(same signature\): continue false, code 9/
    );
    assert.match(
      stdout,
      /replayed delivery \(new event id\): continue false, WEBHOOK_REPLAYED/
    );
    assert.match(
      stdout,
      /200 pipelinerun\.successful\.v1 +build-push-x7k2q 4 new of 4 keys/
    );
    assert.match(
      stdout,
      /trigger event events\/8c1d2f4e-[0-9a-f-]+\/event\.dsse\.json/
    );
    const verdicts = [...stdout.matchAll(/exit (\d): (PASS|FAIL)/g)].map(
      (m) => m[2]
    );
    assert.deepEqual(verdicts, ['PASS', 'FAIL']);
    assert.match(
      stdout,
      /TASK_UNTRUSTED inject-miner: untrusted task inject-miner: inline taskSpec/
    );
    assert.match(stdout, /demo finished/);
  });
});
