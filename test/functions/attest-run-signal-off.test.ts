import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const here = fileURLToPath(import.meta.url);

describe('attestRun with ATTESTED_TOPIC unset: no signal, no Pub/Sub client', function () {
  this.timeout(60_000);

  it('stores no marker and never loads @google-cloud/pubsub (fresh process)', async () => {
    const ts = here.endsWith('.ts');
    const child = join(dirname(here), `signal-off-child.${ts ? 'ts' : 'js'}`);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      METADATA_SERVER_DETECTION: 'none',
    };
    delete env.ATTESTED_TOPIC;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [...(ts ? ['--import', 'tsx'] : []), child],
      { env }
    );
    const report = JSON.parse(stdout.trim().split('\n').pop() ?? '{}');
    assert.equal(report.status, 200);
    assert.ok(
      report.files.some((f: string) => f.endsWith('slsa-v0.2.dsse.json'))
    );
    assert.ok(
      !report.files.some((f: string) => f.includes('signal')),
      'no marker'
    );
    assert.equal(report.before, 0, 'pubsub not loaded');
    assert.ok(report.after > 0, 'the check sees pubsub once imported');
  });
});
