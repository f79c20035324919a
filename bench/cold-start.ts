// Figure 5: spawn → first attestation stored (production configuration, from the deploy artifact that
// `npm run build:deploy` writes) vs spawn → first response of a bare functions-framework function,
// measured alternately in the same run.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDeploy } from '../scripts/build-deploy.js';
import { genPipeline, terminalEvent } from './gen-pipeline.js';
import { send, type HttpReply } from './http.js';
import {
  productionEnv,
  spawnFunction,
  writeKubeconfig,
  type FunctionChild,
} from './child.js';
import type { StandIns } from './stand-ins.js';
import { now, summarise, type Summary } from './stats.js';

export interface ColdStartResult {
  bareMs: Summary;
  sinkMs: Summary;
  // spawn → the framework listening, for the sink (the rest is the first event's own work).
  sinkListeningMs: Summary;
  // Size of the bundle the sink ran from (build/deploy).
  bundleKiB: number;
  // The entry file alone (what the start parses before the first request loads its chunks).
  entryKiB: number;
  // NODE_OPTIONS both functions ran with (the deployment's, from infra/functions.tf).
  nodeOptions: string;
}

// Sends as soon as the port answers; the clock runs from spawn until the 200 has arrived.
async function firstReply(
  child: FunctionChild,
  request: () => Promise<HttpReply>
): Promise<number> {
  await child.listening;
  const reply = await request();
  if (reply.status !== 200) {
    throw new Error(
      `expected 200, got ${reply.status}: ${reply.body.toString().slice(0, 300)}`
    );
  }
  return now() - child.spawnedAt;
}

export async function measureColdStart(
  si: StandIns,
  root: string,
  reps: number,
  tasks: number,
  nodeOptions: string
): Promise<ColdStartResult> {
  // The production artifact: the minified bundle in build/deploy; its unbundled packages resolve from the
  // repository's node_modules (the directory above), as `npm ci` would install them beside it.
  const artifact = await buildDeploy({ root });
  const home = await mkdtemp(join(tmpdir(), 'bench-cold-'));
  const kubeconfig = writeKubeconfig(home, si);
  const bare: number[] = [];
  const sink: number[] = [];
  const listening: number[] = [];
  try {
    for (let i = 0; i < reps; i++) {
      const b = await spawnFunction(
        'bare',
        join(root, 'dist/bench/fixtures/bare.js'),
        { NODE_OPTIONS: nodeOptions },
        home
      );
      bare.push(
        await firstReply(b, () =>
          send('GET', b.url, {}, undefined, false)
        ).finally(() => b.stop())
      );
      const name = `cold-${i}-${Date.now()}`;
      await si.call({ op: 'addPipeline', tasks, name, namespace: 'ci' });
      const event = terminalEvent(
        genPipeline(tasks, name, 'ci'),
        `bench-${name}`
      );
      const s = await spawnFunction(
        'attestRun',
        artifact.out,
        { ...productionEnv(si, kubeconfig), NODE_OPTIONS: nodeOptions },
        home
      );
      void s.listening.then(
        (ms) => listening.push(ms),
        () => undefined
      );
      sink.push(
        await firstReply(s, () =>
          send('POST', s.url, event.headers, event.body, false)
        ).finally(() => s.stop())
      );
    }
  } finally {
    await rm(home, { recursive: true, force: true });
  }
  return {
    bareMs: summarise(bare),
    sinkMs: summarise(sink),
    sinkListeningMs: summarise(listening),
    bundleKiB: Math.round(artifact.totalBytes / 1024),
    entryKiB: Math.round(artifact.bytes / 1024),
    nodeOptions,
  };
}
