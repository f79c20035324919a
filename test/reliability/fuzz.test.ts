import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeAttestRun } from '../../functions/attest-run.js';
import { attestRunDeps, makeDeps } from '../../functions/deps.js';
import { makeReconcile, reconcileDeps } from '../../functions/reconcile.js';
import { makeSignEvent, signEventDeps } from '../../functions/sign-event.js';
import { loadConfig } from '../../shared/config.js';
import { createJsonLogger } from '../../shared/log.js';
import { githubSignature } from '../../shared/webhook-auth.js';
import { makeTaskRun, uidOf } from '../reconcile/runs.js';
import { startKubeServer, type KubeStandIn } from '../stand-ins/kube-server.js';
import { attestRunRequest } from './fuzz-attest-run-inputs.js';
import { parsedByFramework } from './fuzz-common.js';
import {
  FUZZ_SECRET,
  reconcileRequest,
  signEventRequest,
} from './fuzz-other-inputs.js';
import { fuzzFunction, summary } from './fuzz-runner.js';
import {
  captureStdio,
  heapAfterGc,
  isCodedError,
  jsonOf,
  scaled,
  scanStore,
  serveFunction,
  type Reply,
  type Sent,
  type Served,
} from './harness.js';

const TOTAL = Number(process.env.FUZZ_TOTAL ?? scaled(10_000, 50_000));
const MAX_BODY = 65_536;
const KUBE_TOKEN = 'fuzz-kube-token-77a1c3';
const recent = new Date(Date.now() - 5 * 60_000);
const swept = [uidOf('ci/swept-a'), uidOf('other/swept-b')];

// The framework's own 400 (HTML, before our handler) for a body its JSON/form/text parser cannot read.
function frameworkRefusal(req: Sent, reply: Reply): boolean {
  const type = req.headers['content-type'] ?? '';
  return (
    reply.status === 400 &&
    String(reply.headers['content-type']).startsWith('text/html') &&
    parsedByFramework(type)
  );
}

function assertCoded4xx(req: Sent, reply: Reply, allowed: number[]): boolean {
  if (frameworkRefusal(req, reply)) return true;
  assert.ok(
    allowed.includes(reply.status),
    `expected 2xx or one of ${allowed.join('/')}, got ${reply.status}`
  );
  assert.ok(
    isCodedError(jsonOf(reply)),
    'expected {"error":{"code","message"}}'
  );
  return false;
}

describe('reliability: fuzzed bad input through functions-framework (fast-check)', function () {
  this.timeout(scaled(120_000, 900_000));
  let dir: string;
  let kube: KubeStandIn;
  let servers: Record<'attestRun' | 'signEvent' | 'reconcile', Served>;
  // Log lines are scanned as they are written (keeping them would skew the heap measurement).
  const logs = { lines: 0, leaks: [] as string[] };
  const scanLine = (line: string) => {
    logs.lines++;
    if (secrets.some((s) => line.includes(s))) logs.leaks.push(line);
  };
  let baseline = 0;
  const secrets = [FUZZ_SECRET, KUBE_TOKEN];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'reliability-fuzz-'));
    kube = await startKubeServer({ token: KUBE_TOKEN });
    kube.setRuns([
      makeTaskRun('swept-a', { completedAt: recent }),
      makeTaskRun('swept-b', { namespace: 'other', completedAt: recent }),
    ]);
    const env = {
      MAX_BODY_BYTES: String(MAX_BODY),
      FORMATS: 'slsa/v0.2,slsa/v1.0',
      WEBHOOK_SECRET: FUZZ_SECRET,
      KUBE_SERVER: kube.url,
      KUBE_TOKEN,
      KUBE_TIMEOUT_MS: '2000',
    };
    const logger = createJsonLogger(scanLine);
    const deps = (name: string, extra: Record<string, string> = {}) =>
      makeDeps(
        loadConfig({ ...env, STORE: storeDir(name), ...extra }),
        logger,
        { cwd: dir }
      );
    const sweepDeps = deps('reconcile');
    await sweepDeps.signer(); // generates the local key once, before the others share it
    servers = {
      attestRun: await serveFunction(
        makeAttestRun(attestRunDeps(deps('attestRun', { RUN_SOURCE: 'event' })))
      ),
      signEvent: await serveFunction(
        makeSignEvent(signEventDeps(deps('signEvent')))
      ),
      reconcile: await serveFunction(makeReconcile(reconcileDeps(sweepDeps))),
    };
    for (const s of Object.values(servers))
      await s.send({
        headers: { 'content-type': 'application/json' },
        body: Buffer.from('{}'),
      });
    baseline = heapAfterGc();
  });
  after(async () => {
    await Promise.all(Object.values(servers ?? {}).map((s) => s.close()));
    await kube?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const storeDir = (name: string) => join(dir, `store-${name}`);
  // Every object in the store was listed by a successful reply; no temporary file survives a request.
  async function storeExplained(
    name: string,
    allowed: (key: string) => boolean
  ) {
    const { keys, other } = await scanStore(storeDir(name));
    assert.deepEqual(other, [], 'only layout keys under final names');
    const stray = keys.filter((k) => !allowed(k));
    assert.deepEqual(
      stray,
      [],
      'an object not explained by a successful reply'
    );
  }

  async function fuzz(
    label: keyof typeof servers,
    spec: Omit<Parameters<typeof fuzzFunction>[0], 'label' | 'served' | 'total'>
  ) {
    const tally = await captureStdio(
      () =>
        fuzzFunction({ label, served: servers[label], total: TOTAL, ...spec }),
      scanLine
    );
    console.log(`      ${summary(label, tally)}`);
    assert.ok(tally.requests >= TOTAL);
  }

  it(`attestRun: ${TOTAL} requests answer 2xx or a coded 4xx; nothing stored that no 200 listed`, async () => {
    const stored = new Set<string>();
    await fuzz('attestRun', {
      arbitrary: attestRunRequest,
      check: (req, reply) => {
        const body = jsonOf(reply) as {
          stored?: unknown;
          error?: { code: string };
        };
        if (req.body.length > MAX_BODY && reply.status !== 400)
          assert.fail(`expected 400 beyond ${MAX_BODY} bytes`);
        if (reply.status === 200) {
          assert.ok(Array.isArray(body.stored), 'a 200 lists the stored keys');
          for (const k of body.stored as string[]) stored.add(k);
          return false;
        }
        if (reply.status === 202 || reply.status === 204) return false;
        if (
          reply.status === 503 &&
          body?.error?.code === 'RUN_INCOMPLETE' &&
          reply.headers['retry-after']
        )
          return false;
        return assertCoded4xx(req, reply, [400, 422]);
      },
      afterBatch: () => storeExplained('attestRun', (k) => stored.has(k)),
    });
  });

  it(`signEvent: ${TOTAL} requests answer 200 with continue and a status code; only HMAC-verified bodies are signed`, async () => {
    const signedIds = new Set<string>();
    const signedDigests = new Set<string>();
    await fuzz('signEvent', {
      arbitrary: signEventRequest,
      check: (req, reply) => {
        if (frameworkRefusal(req, reply)) return true;
        assert.equal(reply.status, 200, 'the interceptor always answers 200');
        const res = jsonOf(reply) as {
          continue: boolean;
          status: { code: number };
          extensions?: { provenance: { eventId: string; eventDigest: string } };
        };
        assert.equal(typeof res.continue, 'boolean');
        if (!res.continue)
          return void assert.ok(
            [3, 9].includes(res.status.code),
            `status.code 3 or 9, got ${res.status.code}`
          );
        const sent = JSON.parse(req.body.toString('utf8')) as {
          body?: string;
          header: Record<string, unknown>;
        };
        const webhook = sent.body ?? ''; // Triggers omits an empty body
        const sig = Object.entries(sent.header).find(
          ([k]) => k.toLowerCase() === 'x-hub-signature-256'
        )?.[1];
        const first = Array.isArray(sig) ? sig[0] : sig;
        assert.equal(
          first,
          githubSignature(Buffer.from(webhook), FUZZ_SECRET),
          'signed without a valid HMAC'
        );
        const p = res.extensions!.provenance;
        assert.equal(
          p.eventDigest,
          `sha256:${createHash('sha256').update(webhook).digest('hex')}`
        );
        signedIds.add(p.eventId);
        signedDigests.add(p.eventDigest.slice('sha256:'.length));
        return false;
      },
      afterBatch: () =>
        storeExplained(
          'signEvent',
          (k) =>
            [...signedIds].some(
              (id) =>
                k === `events/${id}/event.dsse.json` ||
                k.endsWith(`/event-${id}.dsse.json`)
            ) ||
            // The replay marker of a signed body (signEvent dedupes by body digest).
            signedDigests.has(
              /^deliveries\/sha256\/([0-9a-f]{64})\.dsse\.json$/.exec(k)?.[1] ??
                ''
            )
        ),
    });
  });

  it(`reconcile: ${TOTAL} requests answer 200 with counts, or a coded 400/405`, async () => {
    await fuzz('reconcile', {
      arbitrary: reconcileRequest,
      check: (req, reply) => {
        if (reply.status === 200)
          return void assert.equal(
            typeof (jsonOf(reply) as { examined?: unknown }).examined,
            'number'
          );
        return assertCoded4xx(req, reply, [400, 405]);
      },
      afterBatch: () =>
        storeExplained('reconcile', (k) =>
          swept.some((uid) => k.includes(uid))
        ),
    });
  });

  it('keeps memory at its baseline and writes no secret into a log line', () => {
    const growth = heapAfterGc() - baseline;
    console.log(
      `      fuzz: heap after GC ${(growth / 1e6).toFixed(1)} MB above baseline; ${logs.lines} log lines scanned`
    );
    assert.ok(growth < 32e6, `heap grew by ${growth} bytes`);
    assert.deepEqual(logs.leaks, [], 'no secret in a log line');
  });
});
