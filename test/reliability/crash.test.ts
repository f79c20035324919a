import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodePayload, parseEnvelope } from '../../shared/core/dsse.js';
import { startKubeServer, type KubeStandIn } from '../stand-ins/kube-server.js';
import { startChild } from './child-process.js';
import { scaled, scanStore, SEED } from './harness.js';
import {
  deliver,
  envelopeVerifies,
  lostRuns,
  eventFor,
  makeRuns,
  prng,
  storedKeysOf,
} from './runs-world.js';

const TOKEN = 'crash-kube-token';
const FORMATS = ['slsa-v0.2', 'slsa-v1.0', 'tekton'];

describe('reliability: SIGKILL of the serving process mid-flight, restart, redeliver', function () {
  this.timeout(scaled(60_000, 600_000));
  const random = prng(SEED + 1);
  const runs = makeRuns(scaled(16, 80), scaled(4, 20), 3, 'crash');
  const events = runs.map((r) => eventFor(r));
  let dir: string;
  let kube: KubeStandIn;
  let env: Record<string, string>;
  let publicKeyPem: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'reliability-crash-'));
    kube = await startKubeServer({ token: TOKEN });
    kube.setRuns(runs);
    const { privateKey, publicKey } = generateKeyPairSync('ec', {
      namedCurve: 'P-256',
    });
    await writeFile(
      join(dir, 'signing.pem'),
      privateKey.export({ type: 'pkcs8', format: 'pem' })
    );
    publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    env = {
      KUBE_SERVER: kube.url,
      KUBE_TOKEN: TOKEN,
      STORE: join(dir, 'store'),
      SIGNER: join(dir, 'signing.pem'),
      FORMATS: 'slsa/v0.2,slsa/v1.0,tekton',
    };
  });
  after(async () => {
    await kube?.close();
    await rm(dir, { recursive: true, force: true });
  });

  // Every final name holds a complete, verifying envelope; an in-toto runs/ object implies its sha256/ objects.
  async function assertNothingPartial(): Promise<{
    keys: string[];
    temps: number;
  }> {
    const { keys, other } = await scanStore(join(dir, 'store'));
    assert.ok(
      other.every((f) => /(^|\/)\.tmp-/.test(f)),
      `only temporaries besides layout keys: ${other.join(', ')}`
    );
    for (const key of keys) {
      const env = parseEnvelope(await readFile(join(dir, 'store', key)));
      assert.ok(envelopeVerifies(env, publicKeyPem), `${key} verifies`);
      const m =
        /^runs\/[^/]+\/(taskrun|pipelinerun)-.*-([0-9a-f-]{36})\/(slsa-v0\.2|slsa-v1\.0)\.dsse\.json$/.exec(
          key
        );
      if (!m) continue;
      const statement = JSON.parse(decodePayload(env).toString()) as {
        subject?: { digest: { sha256?: string } }[];
      };
      for (const s of statement.subject ?? [])
        if (s.digest.sha256)
          assert.ok(
            keys.includes(
              `sha256/${s.digest.sha256}/${m[1]}-${m[2]}.${m[3]}.dsse.json`
            ),
            `${key} without its subject key`
          );
    }
    return { keys, temps: other.length };
  }

  it('leaves nothing partial under a final name and loses nothing', async () => {
    const kills = scaled(3, 8);
    let killedInFlight = 0;
    for (let round = 0; round < kills; round++) {
      const child = await startChild('crash-child', env);
      let answered = 0;
      const stopAfter = 2 + Math.floor(random() * events.length * 0.5);
      await new Promise<void>((resolve) => {
        for (const e of events)
          void child.send(e).then(
            () => ++answered >= stopAfter && resolve(),
            () => undefined
          );
        setTimeout(resolve, 5000).unref();
      });
      await child.kill();
      killedInFlight += events.length - answered;
      await assertNothingPartial();
    }
    const child = await startChild('crash-child', env);
    try {
      const final = await Promise.all(
        events.map((e) => deliver(child.send, e))
      );
      const stored = storedKeysOf(final);
      const { keys, temps } = await assertNothingPartial();
      assert.deepEqual(
        keys,
        [...stored].sort(),
        'the store holds exactly the keys of the redelivered runs'
      );
      const lost = lostRuns(runs, keys, FORMATS);
      console.log(
        `      crash: ${kills} SIGKILLs with ${killedInFlight} deliveries unanswered; runs: ${runs.length}; objects: ${keys.length}; leftover temporaries: ${temps}; lost: ${lost.length}`
      );
      assert.equal(lost.length, 0);
    } finally {
      await child.kill();
    }
  });
});
