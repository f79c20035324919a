import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { githubSignature } from '../../shared/webhook-auth.js';
import { startKubeServer, type KubeStandIn } from '../stand-ins/kube-server.js';
import { startChild, type Child } from './child-process.js';
import { walkFiles } from './harness.js';
import { eventFor, makeRuns } from './runs-world.js';

// Values set in the functions' environment that must never reach a stored byte or a log line.
const SECRETS = {
  WEBHOOK_SECRET: 'whsec-0f3c9a71d2e84b56',
  KUBE_TOKEN: 'kube-bearer-5e7d1c2b9a80',
  GOOGLE_OAUTH_ACCESS_TOKEN: 'ya29.fake-google-token-c4d2e1',
  CLOUDSDK_AUTH_ACCESS_TOKEN: 'ya29.fake-gcloud-token-88aa01',
};
const WRONG_TOKEN = 'kube-bearer-wrong-3b9e77';

describe('reliability/security: no secret from the environment in a stored object or a log line (child processes)', function () {
  this.timeout(60_000);
  let dir: string;
  let kube: KubeStandIn;
  const children: Child[] = [];
  const runs = makeRuns(3, 1, 2, 'sec');

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'reliability-secrets-'));
    kube = await startKubeServer({ token: SECRETS.KUBE_TOKEN });
    kube.setRuns(runs);
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await writeFile(
      join(dir, 'signing.pem'),
      privateKey.export({ type: 'pkcs8', format: 'pem' })
    );
  });
  after(async () => {
    await Promise.all(children.map((c) => c.kill()));
    await kube.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function child(target: string, extra: Record<string, string> = {}) {
    const c = await startChild('crash-child', {
      ...SECRETS,
      TARGET: target,
      KUBE_SERVER: kube.url,
      KUBE_TIMEOUT_MS: '500',
      STORE: join(dir, 'store'),
      SIGNER: join(dir, 'signing.pem'),
      FORMATS: 'slsa/v0.2,slsa/v1.0,tekton',
      ...extra,
    });
    children.push(c);
    return c;
  }
  const json = (v: unknown) => ({
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify(v)),
  });

  it('attestRun, signEvent and reconcile succeed and fail without leaking WEBHOOK_SECRET, tokens or the kube bearer', async () => {
    const sink = await child('attestRun');
    for (const run of runs)
      assert.equal((await sink.send(eventFor(run))).status, 200);
    kube.fault = () => ({ status: 500 });
    assert.equal(
      (await sink.send(eventFor(runs[0]!, 'fault-1'))).status,
      503,
      'API server 500 → 503'
    );
    kube.fault = undefined;
    const missing = makeRuns(1, 0, 0, 'gone')[0]!;
    assert.equal((await sink.send(eventFor(missing))).status, 422);
    assert.equal(
      (
        await sink.send({
          headers: { 'content-type': 'application/json' },
          body: Buffer.from('{oops'),
        })
      ).status,
      400
    );
    const wrong = await child('attestRun', { KUBE_TOKEN: WRONG_TOKEN });
    assert.equal(
      (await wrong.send(eventFor(runs[1]!))).status,
      503,
      'a 401 from the API server is transient'
    );
    const interceptor = await child('signEvent');
    const body = '{"ref":"refs/heads/main"}';
    for (const sig of [
      githubSignature(Buffer.from(body), SECRETS.WEBHOOK_SECRET),
      'sha256=' + 'ab'.repeat(32),
    ]) {
      const reply = await interceptor.send(
        json({
          body,
          header: {
            'X-Hub-Signature-256': [sig],
            Authorization: [`Bearer ${SECRETS.KUBE_TOKEN}`],
          },
          context: { event_id: `sec-${sig.slice(7, 15)}` },
        })
      );
      assert.equal(reply.status, 200);
    }
    const sweeper = await child('reconcile');
    assert.equal((await sweeper.send(json({}))).status, 200);
    await new Promise((r) => setTimeout(r, 100)); // let the last log lines arrive
    const logs = children.flatMap((c) => c.output);
    const files = await walkFiles(join(dir, 'store'));
    const stored = await Promise.all(
      files.map((f) => readFile(join(dir, 'store', f), 'utf8'))
    );
    const decoded = stored.map((s) =>
      Buffer.from(
        (JSON.parse(s) as { payload: string }).payload,
        'base64'
      ).toString()
    );
    for (const secret of [...Object.values(SECRETS), WRONG_TOKEN]) {
      assert.ok(
        !logs.some((l) => l.includes(secret)),
        `a log line holds ${secret}`
      );
      assert.ok(
        ![...stored, ...decoded].some((s) => s.includes(secret)),
        `a stored object holds ${secret}`
      );
    }
    console.log(
      `      secrets: ${Object.keys(SECRETS).length + 1} secret values, ${logs.length} log lines and ${files.length} stored objects scanned: 0 found`
    );
    assert.ok(logs.length >= 8 && files.length > 0);
  });
});
