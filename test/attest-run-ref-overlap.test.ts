// attestRunRef lists the store's runs/… keys while the run is fetched, yet reports errors as before.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attestRunRef } from '../shared/attest-run-ref.js';
import { loadConfig } from '../shared/config.js';
import { IncompleteRunError, StorageError } from '../shared/core/errors.js';
import { DEFAULT_BUILDER_ID } from '../shared/core/formats.js';
import { makeKubeApi } from '../shared/kube/kube-api.js';
import { KubeRunSource } from '../shared/kube/kube-run-source.js';
import { createSigner } from '../shared/signers/create-signer.js';
import { MemoryStore } from '../shared/stores/memory-store.js';
import { makeTaskRun } from './reconcile/runs.js';
import { startKubeServer, type KubeStandIn } from './stand-ins/kube-server.js';

const TOKEN = 'overlap-token';
const DELAY_MS = 150;
const OPTIONS = {
  builderId: DEFAULT_BUILDER_ID,
  buildType: 'slsa',
  deepInspection: false,
} as const;

// A MemoryStore whose list() is recorded (start and end times) and may fail.
class ObservedStore extends MemoryStore {
  listed: { start: number; end?: number }[] = [];
  failList = false;
  override async list(prefix: string): Promise<string[]> {
    const entry: { start: number; end?: number } = { start: Date.now() };
    this.listed.push(entry);
    await new Promise((resolve) => setTimeout(resolve, 20));
    entry.end = Date.now();
    if (this.failList)
      throw new StorageError(
        'STORE_READ_FAILED',
        'expected a listing, got EIO'
      );
    return super.list(prefix);
  }
}

describe('attestRunRef: the "already attested" check overlaps the fetch', function () {
  this.timeout(20000);
  let kube: KubeStandIn;
  let dir: string;
  let source: KubeRunSource;
  let store: ObservedStore;

  before(async () => {
    kube = await startKubeServer({ token: TOKEN });
    dir = await mkdtemp(join(tmpdir(), 'overlap-'));
    const config = loadConfig({ KUBE_SERVER: kube.url, KUBE_TOKEN: TOKEN });
    const { runApi, options } = await makeKubeApi(config.kube);
    source = new KubeRunSource(runApi, options);
  });
  after(async () => {
    await kube.close();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    store = new ObservedStore();
    kube.fault = () => ({ delayMs: DELAY_MS });
  });

  const refOf = (run: ReturnType<typeof makeTaskRun>) => ({
    kind: 'taskrun' as const,
    namespace: run.metadata.namespace as string,
    name: run.metadata.name as string,
    uid: run.metadata.uid as string,
  });
  const deps = async () => ({
    source,
    attest: {
      signer: await createSigner(join(dir, 'k.pem'), {
        generateIfMissing: true,
      }),
      store,
      formats: ['slsa/v0.2'] as const,
      options: OPTIONS,
    },
  });

  it('lists the runs/… prefix once, before the API server answers, and stores the attestation', async () => {
    const run = makeTaskRun('overlap-ok', { completedAt: new Date() });
    kube.setRuns([run]);
    const started = Date.now();
    const out = await attestRunRef(refOf(run), await deps());
    assert.equal(store.listed.length, 1, 'one list, reused by attestInput');
    assert.ok(
      store.listed[0]!.end! - started < DELAY_MS,
      'listed during the GET'
    );
    assert.equal(out.created.length, out.keys.length);
    for (const key of out.keys) assert.ok(store.objects.has(key), key);
  });

  it('an incomplete run is still RUN_INCOMPLETE when the early list fails; the list has ended by then', async () => {
    const run = makeTaskRun('overlap-running');
    kube.setRuns([run]);
    store.failList = true;
    await assert.rejects(
      attestRunRef(refOf(run), await deps()),
      (err: unknown) =>
        err instanceof IncompleteRunError && err.code === 'RUN_INCOMPLETE'
    );
    assert.equal(store.listed.length, 1);
    assert.ok(store.listed[0]!.end !== undefined);
    assert.equal(store.objects.size, 0);
  });

  it('a complete run reports the failed list as the StorageError it was, storing nothing', async () => {
    const run = makeTaskRun('overlap-list-fails', { completedAt: new Date() });
    kube.setRuns([run]);
    store.failList = true;
    await assert.rejects(
      attestRunRef(refOf(run), await deps()),
      (err: unknown) =>
        err instanceof StorageError && err.code === 'STORE_READ_FAILED'
    );
    assert.equal(store.objects.size, 0);
  });

  it('a missing run is RUN_NOT_FOUND (422), not the store error', async () => {
    const run = makeTaskRun('overlap-gone', { completedAt: new Date() });
    kube.setRuns([]);
    store.failList = true;
    await assert.rejects(
      attestRunRef(refOf(run), await deps()),
      (err: unknown) =>
        err instanceof Error &&
        (err as { code?: string }).code === 'RUN_NOT_FOUND'
    );
    assert.ok(store.listed[0]!.end !== undefined);
  });
});
