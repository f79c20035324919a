// The trigger-event link is looked up once per attestation on every path (attestRun, reconcile, CLI attest).
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ff from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import request from 'supertest';
import { main } from '../cli/main.js';
import { makeAttestRun } from '../functions/attest-run.js';
import { loadConfig } from '../shared/config.js';
import { DEFAULT_BUILDER_ID } from '../shared/core/formats.js';
import type { Envelope } from '../shared/core/types.js';
import { makeKubeApi } from '../shared/kube/kube-api.js';
import { KubeRunLister } from '../shared/kube/kube-run-lister.js';
import { KubeRunSource } from '../shared/kube/kube-run-source.js';
import { createMemoryLogger } from '../shared/log.js';
import { reconcile } from '../shared/reconcile.js';
import { createSigner } from '../shared/signers/create-signer.js';
import { MemoryStore } from '../shared/stores/memory-store.js';
import type {
  AttestationStore,
  ObjectMetadata,
} from '../shared/stores/store.js';
import { TRIGGER_EVENT_ID_LABEL } from '../shared/trigger-link.js';
import { makeTaskRun } from './reconcile/runs.js';
import { startKubeServer, type KubeStandIn } from './stand-ins/kube-server.js';

const TOKEN = 'link-once-token';
const OPTIONS = {
  builderId: DEFAULT_BUILDER_ID,
  buildType: 'slsa',
  deepInspection: false,
} as const;
const eventKeyOf = (id: string) => `events/${id}/event.dsse.json`;

// A test double of the store port: a MemoryStore that counts reads per key.
class CountingStore implements AttestationStore {
  readonly inner = new MemoryStore();
  readonly location = 'memory:';
  readonly reads = new Map<string, number>();
  put(key: string, env: Envelope, meta?: ObjectMetadata) {
    return this.inner.put(key, env, meta);
  }
  get(key: string) {
    this.reads.set(key, (this.reads.get(key) ?? 0) + 1);
    return this.inner.get(key);
  }
  list(prefix: string) {
    return this.inner.list(prefix);
  }
}

const labelled = (name: string) =>
  makeTaskRun(name, {
    completedAt: new Date(Date.now() - 60_000),
    labels: { [TRIGGER_EVENT_ID_LABEL]: `event-${name}` },
  });

describe('trigger-event link: one store read and one warning per attestation when the event is missing', function () {
  this.timeout(20000);
  let kube: KubeStandIn;
  let dir: string;
  let kubeApi: Awaited<ReturnType<typeof makeKubeApi>>;
  const signerOf = () =>
    createSigner(join(dir, 'signing.pem'), { generateIfMissing: true });

  before(async () => {
    kube = await startKubeServer({ token: TOKEN });
    dir = await mkdtemp(join(tmpdir(), 'link-once-'));
    const config = loadConfig({ KUBE_SERVER: kube.url, KUBE_TOKEN: TOKEN });
    kubeApi = await makeKubeApi(config.kube);
  });
  after(async () => {
    await kube.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('attestRun', async () => {
    const run = labelled('sink-run');
    kube.setRuns([run]);
    const store = new CountingStore();
    const logger = createMemoryLogger();
    const signer = await signerOf();
    const handler = makeAttestRun({
      formats: ['slsa/v0.2', 'slsa/v1.0'],
      options: OPTIONS,
      maxBodyBytes: 1 << 20,
      embedTriggerEvent: true,
      source: () =>
        Promise.resolve(new KubeRunSource(kubeApi.runApi, kubeApi.options)),
      signer: () => Promise.resolve(signer),
      store: () => Promise.resolve(store),
      logger,
    });
    ff.http('linkOnceAttestRun', handler);
    const res = await request(getTestServer('linkOnceAttestRun'))
      .post('/')
      .set('Ce-Id', 'ce-1')
      .set('Ce-Source', '/apis///namespaces/ci//sink-run')
      .set('Ce-Specversion', '1.0')
      .set('Ce-Type', 'dev.tekton.event.taskrun.successful.v1')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ taskRun: run }))
      .expect(200);
    assert.equal(res.body.stored.length, 4);
    assert.equal(store.reads.get(eventKeyOf('event-sink-run')), 1);
    const warnings = logger.entries.filter((e) => e.severity === 'WARNING');
    assert.equal(warnings.length, 1, JSON.stringify(warnings));
    assert.match(warnings[0]!.message, /no events\/event-sink-run\/event/);
  });

  it('reconcile (two runs: one read and one warning each)', async () => {
    kube.setRuns([labelled('sweep-a'), labelled('sweep-b')]);
    const store = new CountingStore();
    const logger = createMemoryLogger();
    const objects = await kubeApi.objectsApi();
    const report = await reconcile(
      {
        lister: new KubeRunLister(objects.api, objects.options),
        source: new KubeRunSource(kubeApi.runApi, kubeApi.options),
        attest: {
          signer: await signerOf(),
          store,
          formats: ['slsa/v0.2'],
          options: OPTIONS,
        },
        embedTriggerEvent: false,
        logger,
      },
      { windowMs: 3600_000, budgetMs: 60_000 }
    );
    assert.equal(report.attestedNow, 2);
    for (const name of ['sweep-a', 'sweep-b'])
      assert.equal(store.reads.get(eventKeyOf(`event-${name}`)), 1, name);
    const warnings = logger.entries.filter((e) => e.severity === 'WARNING');
    assert.equal(warnings.length, 2, JSON.stringify(warnings));
  });

  it('CLI attest: one stderr warning, EMBED_TRIGGER_EVENT validated', async () => {
    const runPath = join(dir, 'run.json');
    await writeFile(runPath, JSON.stringify(labelled('cli-run')));
    await signerOf();
    const cli = async (env: Record<string, string>) => {
      const out = { stdout: '', stderr: '' };
      const code = await main(
        ['attest', runPath, '--signer', 'signing.pem', '--store', 'store'],
        {
          stdout: (t) => void (out.stdout += t),
          stderr: (t) => void (out.stderr += t),
          env,
          cwd: dir,
        }
      );
      return { code, ...out };
    };
    const ran = await cli({ EMBED_TRIGGER_EVENT: 'true' });
    assert.equal(ran.code, 0, ran.stderr);
    const lines = ran.stderr.trimEnd().split('\n');
    assert.equal(lines.filter((l) => /warning/.test(l)).length, 1);
    assert.match(lines[0]!, /^tekton-provenance attest: warning: .*no events/);
    const runKey = ran.stdout.trim().split('\n').at(-1)!;
    assert.ok((await readFile(join(dir, 'store', runKey))).length > 0);
    const bad = await cli({ EMBED_TRIGGER_EVENT: 'maybe' });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /EMBED_TRIGGER_EVENT/);
  });
});
