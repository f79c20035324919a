import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeAttestRun } from '../../functions/attest-run.js';
import { attestRunDeps, makeDeps } from '../../functions/deps.js';
import { loadConfig } from '../../shared/config.js';
import { decodePayload, parseEnvelope } from '../../shared/core/dsse.js';
import { isLayoutKey } from '../../shared/core/layout.js';
import { createMemoryLogger } from '../../shared/log.js';
import { makeTaskRun } from '../reconcile/runs.js';
import { startKubeServer, type KubeStandIn } from '../stand-ins/kube-server.js';
import { serveFunction, walkFiles, type Served } from './harness.js';
import { eventFor, makeRuns, type Run } from './runs-world.js';

const TOKEN = 'security-kube-token';
const hex = (s: string) => createHash('sha256').update(s).digest('hex');
const EVIL = `sha256:${hex('attacker image')}`;

// Names, namespaces, uids and event ids that must never become a path outside the layout.
const HOSTILE = [
  '../../../etc',
  '..',
  'a/b',
  '/abs',
  'x\u0000y',
  'a'.repeat(300),
  'ünï',
  'x..y',
  'trailing.',
  'UPPER',
  '%2e%2e',
  'a\\b',
  ' ',
];

describe('reliability/security: forged events, hostile names (attestRun)', () => {
  let dir: string;
  let kube: KubeStandIn;
  const sinks: Record<string, Served> = {};
  const real = makeRuns(1, 0, 0, 'sec')[0]!;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'reliability-security-'));
    kube = await startKubeServer({ token: TOKEN });
    kube.setRuns([real]);
    for (const source of ['kubernetes', 'event']) {
      const config = loadConfig({
        STORE: join(dir, `store-${source}`),
        RUN_SOURCE: source,
        KUBE_SERVER: kube.url,
        KUBE_TOKEN: TOKEN,
        FORMATS: 'slsa/v0.2,slsa/v1.0',
      });
      sinks[source] = await serveFunction(
        makeAttestRun(
          attestRunDeps(makeDeps(config, createMemoryLogger(), { cwd: dir }))
        )
      );
    }
  });
  after(async () => {
    await Promise.all(Object.values(sinks).map((s) => s.close()));
    await kube.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("kubernetes source: a forged event body never reaches the statement; the API server's run does", async () => {
    const forged = structuredClone(real) as Run & {
      spec: { params: { value: string }[] };
      status: {
        results: { name: string; value: string }[];
        steps: { imageID: string }[];
      };
    };
    forged.spec.params[0]!.value = 'forged-param-value';
    forged.status.results.find((r) => r.name === 'IMAGE_DIGEST')!.value = EVIL;
    forged.status.steps[0]!.imageID = `evil.example/miner@${EVIL}`;
    const reply = await sinks.kubernetes!.send(eventFor(forged));
    assert.equal(reply.status, 200, reply.body.toString());
    const store = join(dir, 'store-kubernetes');
    const files = await walkFiles(store);
    assert.ok(
      files.length > 0 && !files.some((f) => f.includes(EVIL.slice(7))),
      'no key for the forged digest'
    );
    for (const f of files) {
      const statement = decodePayload(
        parseEnvelope(await readFile(join(store, f)))
      ).toString();
      for (const lie of ['forged-param-value', EVIL.slice(7), 'evil.example'])
        assert.ok(!statement.includes(lie), `${f} holds the forged ${lie}`);
      assert.ok(statement.includes(real.metadata.name));
    }
  });

  it("kubernetes source: an event whose uid differs from the API server's run is refused, nothing stored", async () => {
    const before = await walkFiles(join(dir, 'store-kubernetes'));
    const swapped = {
      ...real,
      metadata: {
        ...real.metadata,
        uid: '00000000-0000-4000-8000-000000000bad',
      },
    };
    const reply = await sinks.kubernetes!.send(eventFor(swapped));
    assert.equal(reply.status, 422, reply.body.toString());
    assert.deepEqual(await walkFiles(join(dir, 'store-kubernetes')), before);
  });

  it('hostile names, namespaces, uids, trigger labels and event ids never write outside the layout', async () => {
    let refused = 0;
    for (const source of ['kubernetes', 'event']) {
      for (const bad of HOSTILE) {
        for (const field of ['name', 'namespace', 'uid', 'label', 'ce-id']) {
          const run = makeTaskRun('ok-name', {
            completedAt: new Date(Date.now() - 1000),
          }) as Run & { metadata: { labels: Record<string, string> } };
          if (field === 'label')
            run.metadata.labels['triggers.tekton.dev/triggers-eventid'] = bad;
          else if (field !== 'ce-id')
            (run.metadata as unknown as Record<string, string>)[field] = bad;
          const event = eventFor(
            run,
            field === 'ce-id' ? bad.replace(/[^\x20-\x7e]/g, '?') : undefined
          );
          const reply = await sinks[source]!.send(event);
          assert.ok(
            [200, 400, 422].includes(reply.status),
            `${source} ${field}=${JSON.stringify(bad)} → ${reply.status} ${reply.body.toString()}`
          );
          if (reply.status !== 200) refused++;
        }
      }
    }
    const written = await walkFiles(dir);
    const outside = written.filter(
      (f) =>
        !f.startsWith('.keys/') &&
        !(f.startsWith('store-') && isLayoutKey(f.slice(f.indexOf('/') + 1)))
    );
    assert.deepEqual(
      outside,
      [],
      'every written path is a layout key inside a store'
    );
    console.log(
      `      security: ${HOSTILE.length * 10} hostile deliveries, ${refused} refused, ${written.length} files all inside the layout`
    );
  });
});
