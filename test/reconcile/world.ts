// A kube stand-in, a directory store and a local key wired into reconcile() through the real Kubernetes client.
import { generateKeyPairSync, verify } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../shared/config.js';
import type { Format } from '../../shared/core/formats.js';
import { DEFAULT_BUILDER_ID } from '../../shared/core/formats.js';
import type { Envelope } from '../../shared/core/types.js';
import { makeKubeApi } from '../../shared/kube/kube-api.js';
import { KubeRunLister } from '../../shared/kube/kube-run-lister.js';
import { KubeRunSource } from '../../shared/kube/kube-run-source.js';
import { createMemoryLogger } from '../../shared/log.js';
import { reconcile, type ReconcileOptions } from '../../shared/reconcile.js';
import { LocalKeySigner } from '../../shared/signers/local-key-signer.js';
import { FsStore } from '../../shared/stores/fs-store.js';
import { startKubeServer, type KubeStandIn } from '../stand-ins/kube-server.js';
import { makePipeline, makeTaskRun } from './runs.js';

export const TOKEN = 'reconcile-test-token';
export const NOW = Date.parse('2026-05-04T12:00:00Z');
export const minutesAgo = (m: number) => new Date(NOW - m * 60_000);
const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
export const signer = LocalKeySigner.fromPem(
  privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
);

// 14 runs finished in the last day (ci: 6 TaskRuns + 2 PipelineRuns of 2 tasks; other: 2 TaskRuns),
// one still running and one finished three days ago.
export function worldRuns(): Record<string, unknown>[] {
  return [
    ...Array.from({ length: 6 }, (_, i) =>
      makeTaskRun(`tr-${i}`, { completedAt: minutesAgo(10 + i) })
    ),
    ...makePipeline('pl-0', 2, { completedAt: minutesAgo(30) }),
    ...makePipeline('pl-1', 2, { completedAt: minutesAgo(40) }),
    makeTaskRun('tr-a', { namespace: 'other', completedAt: minutesAgo(50) }),
    makeTaskRun('tr-b', { namespace: 'other', completedAt: minutesAgo(60) }),
    makeTaskRun('tr-running', {}),
    makeTaskRun('tr-old', { completedAt: minutesAgo(3 * 24 * 60) }),
  ];
}
export const IN_WINDOW = 14;

// Every stored object (keys relative to the store root), sorted.
async function walk(dir: string): Promise<string[]> {
  const files = await readdir(dir, { recursive: true }).catch(
    () => [] as string[]
  );
  return files.filter((f) => f.endsWith('.dsse.json')).sort();
}

export interface World {
  kube: KubeStandIn;
  dir: string;
  store: FsStore;
  logger: ReturnType<typeof createMemoryLogger>;
  sweep(
    opts?: Partial<ReconcileOptions>,
    formats?: Format[]
  ): ReturnType<typeof reconcile>;
  keys(prefix?: string): Promise<string[]>;
  read(key: string): Promise<Envelope>;
  // Kubernetes LIST requests of runs (not the label-selected child lists).
  runLists(): { path: string; query: Record<string, string> }[];
  close(): Promise<void>;
}

export async function startWorld(): Promise<World> {
  const kube = await startKubeServer({ token: TOKEN });
  kube.setRuns(worldRuns());
  const dir = await mkdtemp(join(tmpdir(), 'reconcile-'));
  const store = new FsStore(dir);
  const config = loadConfig({
    KUBE_SERVER: kube.url,
    KUBE_TOKEN: TOKEN,
    KUBE_TIMEOUT_MS: '2000',
  });
  const client = await makeKubeApi(config.kube);
  const { runApi, options } = client;
  const objects = await client.objectsApi();
  const logger = createMemoryLogger();
  const deps = (formats: Format[]) => ({
    lister: new KubeRunLister(objects.api, objects.options),
    source: new KubeRunSource(runApi, options),
    attest: {
      signer,
      store,
      formats,
      options: {
        builderId: DEFAULT_BUILDER_ID,
        buildType: 'slsa' as const,
        deepInspection: false,
      },
    },
    embedTriggerEvent: false,
    clock: () => NOW,
    logger,
  });
  return {
    kube,
    dir,
    store,
    logger,
    sweep: (opts = {}, formats = ['slsa/v0.2']) =>
      reconcile(deps(formats), {
        windowMs: 24 * 3600_000,
        budgetMs: 60_000,
        pageSize: 3,
        ...opts,
      }),
    keys: async (prefix = '') =>
      (await walk(dir)).filter((k) => k.startsWith(prefix)),
    read: async (key) =>
      JSON.parse(await readFile(join(dir, key), 'utf8')) as Envelope,
    runLists: () =>
      kube.requests.filter(
        (r) =>
          /\/(taskruns|pipelineruns)$/.test(r.path) &&
          r.query.labelSelector === undefined
      ),
    close: async () => {
      await kube.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// ECDSA over the DSSE PAE, written out by hand as an independent check.
export function signatureValid(env: Envelope): boolean {
  const body = Buffer.from(env.payload, 'base64');
  const type = Buffer.from(env.payloadType);
  const pae = Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `),
    type,
    Buffer.from(` ${body.length} `),
    body,
  ]);
  const sig = Buffer.from(env.signatures[0]?.sig ?? '', 'base64');
  return verify('sha256', pae, signer.publicKeyPem, sig);
}
