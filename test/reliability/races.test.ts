import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeAttestRun } from '../../functions/attest-run.js';
import { attestRunDeps, makeDeps } from '../../functions/deps.js';
import { makeSignEvent, signEventDeps } from '../../functions/sign-event.js';
import { loadConfig } from '../../shared/config.js';
import { createMemoryLogger } from '../../shared/log.js';
import { githubSignature } from '../../shared/webhook-auth.js';
import { startKubeServer, type KubeStandIn } from '../stand-ins/kube-server.js';
import {
  jsonOf,
  scaled,
  scanStore,
  SEED,
  serveFunction,
  type Sent,
  type Served,
} from './harness.js';
import { eventFor, makeRuns, prng, shuffled } from './runs-world.js';

const TOKEN = 'races-kube-token';
const SECRET = 'races-secret';
let n = 0;

describe('reliability: duplicate storms and out-of-order deliveries', function () {
  this.timeout(scaled(60_000, 300_000));
  let dir: string;
  let kube: KubeStandIn;
  const runs = makeRuns(1, 1, 3, 'race');
  const served: Served[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'reliability-races-'));
    kube = await startKubeServer({ token: TOKEN });
    kube.setRuns(runs);
    const first = makeDeps(
      loadConfig({ STORE: join(dir, 'unused'), RUN_SOURCE: 'event' }),
      createMemoryLogger(),
      { cwd: dir }
    );
    await first.signer(); // one local key for every sink below
  });
  after(async () => {
    await Promise.all(served.map((s) => s.close()));
    await kube.close();
    await rm(dir, { recursive: true, force: true });
  });

  // A fresh store (and, for the event source, a fresh memory of children) behind a new sink.
  async function sink(
    kind: 'attestRun' | 'signEvent',
    extra: Record<string, string> = {}
  ) {
    const store = join(dir, `store-${++n}`);
    const env = {
      STORE: store,
      KUBE_SERVER: kube.url,
      KUBE_TOKEN: TOKEN,
      FORMATS: 'slsa/v0.2,slsa/v1.0,tekton',
      WEBHOOK_SECRET: SECRET,
      ...extra,
    };
    const deps = makeDeps(loadConfig(env), createMemoryLogger(), { cwd: dir });
    const fn =
      kind === 'attestRun'
        ? makeAttestRun(attestRunDeps(deps))
        : makeSignEvent(signEventDeps(deps));
    const s = await serveFunction(fn);
    served.push(s);
    return { s, store };
  }

  async function snapshot(store: string): Promise<Map<string, string>> {
    const { keys, other } = await scanStore(store);
    assert.deepEqual(other, []);
    return new Map(
      await Promise.all(
        keys.map(
          async (k) =>
            [k, (await readFile(join(store, k))).toString('base64')] as const
        )
      )
    );
  }

  async function storm(s: Served, req: Sent, times: number) {
    return Promise.all(Array.from({ length: times }, () => s.send(req)));
  }

  it('100 concurrent deliveries of one TaskRun event: one object per key, each created once, then unchanged', async () => {
    const { s, store } = await sink('attestRun');
    const event = eventFor(runs.find((r) => r.metadata.name === 'race-tr-0')!);
    const replies = await storm(s, event, 100);
    const bodies = replies.map(
      (r) => jsonOf(r) as { stored: string[]; created: number }
    );
    assert.ok(
      replies.every((r) => r.status === 200),
      'every duplicate answers 200'
    );
    const keys = [...new Set(bodies.flatMap((b) => b.stored))].sort();
    const before = await snapshot(store);
    assert.deepEqual(
      [...before.keys()],
      keys,
      'one object per key, nothing else'
    );
    assert.equal(
      bodies.reduce((sum, b) => sum + b.created, 0),
      keys.length,
      'each key created exactly once'
    );
    const again = await storm(s, event, 100);
    assert.ok(
      again.every(
        (r) =>
          r.status === 200 && (jsonOf(r) as { created: number }).created === 0
      )
    );
    assert.deepEqual(
      await snapshot(store),
      before,
      'bytes identical to the first write'
    );
    console.log(
      `      races: 200 deliveries of one event → ${keys.length} objects, each created once`
    );
  });

  it('100 concurrent deliveries of one webhook to signEvent: one attestation, the same answer for all', async () => {
    const { s, store } = await sink('signEvent');
    const body = '{"ref":"refs/heads/main"}';
    const req = {
      body,
      header: {
        'X-GitHub-Event': ['push'],
        'X-Hub-Signature-256': [githubSignature(Buffer.from(body), SECRET)],
      },
      context: { event_id: 'storm-1' },
    };
    const replies = await storm(
      s,
      {
        headers: { 'content-type': 'application/json' },
        body: Buffer.from(JSON.stringify(req)),
      },
      100
    );
    const answers = new Set(
      replies.map((r) =>
        JSON.stringify((jsonOf(r) as { extensions: unknown }).extensions)
      )
    );
    assert.ok(
      replies.every(
        (r) => r.status === 200 && (jsonOf(r) as { continue: boolean }).continue
      )
    );
    assert.equal(answers.size, 1);
    const objects = await snapshot(store);
    assert.equal(
      objects.size,
      3,
      'events/…, sha256/… and the deliveries/sha256/… replay marker'
    );
    assert.equal(
      new Set(objects.values()).size,
      1,
      'both keys hold the same envelope bytes'
    );
  });

  it('TaskRun and PipelineRun events in any order (kubernetes and event sources) end in the same keys', async () => {
    const events = runs
      .filter((r) => r.metadata.name.startsWith('race-pl-'))
      .map((r) => eventFor(r));
    const random = prng(SEED + 2);
    const orders = Array.from({ length: scaled(6, 24) }, () =>
      shuffled(events, random)
    );
    const finals = new Set<string>();
    for (const source of ['kubernetes', 'event']) {
      for (const order of orders) {
        const { s, store } = await sink('attestRun', { RUN_SOURCE: source });
        const queue = [...order];
        for (let tries = 0; queue.length > 0 && tries < 50; tries++) {
          const e = queue.shift()!;
          const reply = await s.send(e);
          if (reply.status === 503)
            queue.push(e); // Tekton redelivers 503
          else assert.equal(reply.status, 200, reply.body.toString());
        }
        assert.equal(queue.length, 0, 'every event eventually attested');
        finals.add(JSON.stringify([...(await snapshot(store)).keys()]));
      }
    }
    assert.equal(
      finals.size,
      1,
      `one final set of keys for ${orders.length} orders × 2 sources`
    );
    console.log(
      `      races: ${orders.length} delivery orders × 2 sources → 1 final set of ${(JSON.parse([...finals][0]!) as string[]).length} keys`
    );
  });
});
