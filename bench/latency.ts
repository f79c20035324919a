// Figures 1–4: end-to-end sink latency per terminal PipelineRun event against the floor on the same data,
// scaling 50 → 500 tasks, Kubernetes API calls per PipelineRun and KMS calls per attestation.
import { fetchedBytes, measureFloor } from './floor.js';
import { genPipeline, terminalEvent } from './gen-pipeline.js';
import { postEvent } from './http.js';
import {
  startInProcSink,
  type InProcSink,
  type SinkKind,
} from './sink-inproc.js';
import type { StandIns } from './stand-ins.js';
import { now, summarise, type Summary } from './stats.js';

export const SIZES = [5, 50, 500] as const;

export interface SizeResult {
  tasks: number;
  latencyMs: Summary;
  floorMs: Summary;
  kubeCalls: Summary;
  kmsSignCalls: Summary;
  statementBytes: number;
  fetchedBytes: number;
}

export interface SinkResult {
  kind: SinkKind;
  sizes: SizeResult[];
  kmsDataReceived: number;
  kmsSetupCalls: number;
}

let seq = 0;

// One fresh run (new name, so a new uid): put it in the cluster, POST its terminal event, time the 200.
async function oneEvent(sink: InProcSink, si: StandIns, tasks: number) {
  const name = `lat-${sink.kind}-${tasks}-${++seq}`;
  const namespace = 'ci';
  await si.call({ op: 'clearRuns' });
  const uid = await si.call<string>({
    op: 'addPipeline',
    tasks,
    name,
    namespace,
  });
  const event = terminalEvent(
    genPipeline(tasks, name, namespace),
    `bench-${name}`
  );
  const before = await si.counters();
  const t0 = now();
  const reply = await postEvent(sink.url, event);
  const ms = now() - t0;
  const after = await si.counters();
  const stored = (JSON.parse(reply.body.toString()) as { stored: string[] })
    .stored;
  return {
    ms,
    kube: after.kubeRequests - before.kubeRequests,
    kms: after.kmsAsymmetricSign - before.kmsAsymmetricSign,
    key: stored.find((k) => k.startsWith('runs/')) ?? '',
    name,
    namespace,
    uid,
  };
}

async function measureSize(
  sink: InProcSink,
  si: StandIns,
  tasks: number,
  reps: number
): Promise<SizeResult> {
  for (let i = 0; i < 2; i++) await oneEvent(sink, si, tasks);
  const runs = [];
  for (let i = 0; i < reps; i++) runs.push(await oneEvent(sink, si, tasks));
  const last = runs[runs.length - 1]!;
  const bytes = await fetchedBytes(si, last.namespace, last.name, last.uid);
  const statement = await sink.payload(last.key);
  return {
    tasks,
    latencyMs: summarise(runs.map((r) => r.ms)),
    floorMs: measureFloor(bytes, statement, 25),
    kubeCalls: summarise(runs.map((r) => r.kube)),
    kmsSignCalls: summarise(runs.map((r) => r.kms)),
    statementBytes: statement.length,
    fetchedBytes: bytes.run.length + bytes.list.length,
  };
}

// All sizes for one sink configuration (warmed up first at 50 tasks).
export async function measureSink(
  kind: SinkKind,
  si: StandIns,
  reps: (tasks: number) => number
): Promise<SinkResult> {
  const sink = await startInProcSink(kind, si);
  try {
    const setup0 = await si.counters();
    for (let i = 0; i < 5; i++) await oneEvent(sink, si, 50);
    const sizes: SizeResult[] = [];
    for (const tasks of SIZES)
      sizes.push(await measureSize(sink, si, tasks, reps(tasks)));
    const end = await si.counters();
    return {
      kind,
      sizes,
      kmsDataReceived: end.kmsDataReceived,
      kmsSetupCalls:
        end.kmsGetPublicKey +
        end.kmsGetCryptoKey -
        setup0.kmsGetPublicKey -
        setup0.kmsGetCryptoKey,
    };
  } finally {
    await sink.close();
  }
}
