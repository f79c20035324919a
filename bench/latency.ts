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
import { startReferenceSink, type ReferenceSink } from './reference-sink.js';
import { profileEvents, type ProfileResult } from './profile.js';
import { Timeline, type Phases } from './timeline.js';

export const SIZES = [5, 50, 500] as const;

export interface SizeResult {
  tasks: number;
  latencyMs: Summary;
  // The reference sink (bench/reference-sink.ts) on the same events, interleaved with the sink's.
  referenceMs: Summary;
  // sink ÷ reference per interleaved pair (robust to load drifting during the run).
  vsReference: Summary;
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
  // CPU profile of this process over PROFILED_EVENTS 50-task events (after the timed ones).
  profile: ProfileResult;
  // Wall-time phases of phaseEvents 50-task events on a timed sink (bench/timeline.ts).
  phases: Phases;
  phaseEvents: number;
}

const PROFILED_EVENTS = 20;
const TIMELINE_EVENTS = 21;

// Steady state before anything is timed: V8 still optimised ~1 function per sink event around event 50
// (compiling on the second core, which the threadpool's writes also need) and ~0.5 per event after 200;
// sink and reference are warmed alike. The cold path is figure 5's.
const WARM_PAIRS = 200;

let seq = 0;

// One fresh run (new name, so a new uid): put it in the cluster, POST its terminal event, time the 200.
async function oneEvent(
  sink: Pick<InProcSink, 'kind' | 'url'>,
  si: StandIns,
  tasks: number
) {
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
  const [ms, after] = [now() - t0, await si.counters()];
  const { stored } = JSON.parse(reply.body.toString()) as {
    stored: string[];
  };
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

// WARM_PAIRS 50-task events to the sink and to the reference (signing the sink's statement), alternately.
async function warmUp(sink: InProcSink, ref: ReferenceSink, si: StandIns) {
  const warm = await oneEvent(sink, si, 50);
  ref.setStatement(JSON.parse((await sink.payload(warm.key)).toString()));
  const target = { kind: sink.kind, url: ref.url };
  for (let i = 0; i < WARM_PAIRS; i++) {
    await oneEvent(sink, si, 50);
    await oneEvent(target, si, 50);
  }
}

// A second sink of the same kind with its phases timed, after the first warmed the shared code up.
async function measurePhases(kind: SinkKind, si: StandIns): Promise<Phases> {
  const timeline = new Timeline();
  const sink = await startInProcSink(kind, si, timeline);
  try {
    for (let i = 0; i < 5; i++) await oneEvent(sink, si, 50);
    for (let i = 0; i < TIMELINE_EVENTS; i++)
      timeline.record((await oneEvent(sink, si, 50)).ms);
    return timeline.phases();
  } finally {
    await sink.close();
  }
}

async function measureSize(
  sink: InProcSink,
  ref: ReferenceSink,
  si: StandIns,
  tasks: number,
  reps: number
): Promise<SizeResult> {
  for (let i = 0; i < 2; i++) await oneEvent(sink, si, tasks);
  const warm = await oneEvent(sink, si, tasks);
  ref.setStatement(JSON.parse((await sink.payload(warm.key)).toString()));
  const target = { kind: sink.kind, url: ref.url };
  for (let i = 0; i < 2; i++) await oneEvent(target, si, tasks);
  const runs = [];
  const refMs: number[] = [];
  for (let i = 0; i < reps; i++) {
    runs.push(await oneEvent(sink, si, tasks));
    refMs.push((await oneEvent(target, si, tasks)).ms);
  }
  // The floor's bytes: one more sink event, read back before anything else clears the cluster.
  const last = await oneEvent(sink, si, tasks);
  const bytes = await fetchedBytes(si, last.namespace, last.name, last.uid);
  const statement = await sink.payload(last.key);
  return {
    tasks,
    latencyMs: summarise(runs.map((r) => r.ms)),
    referenceMs: summarise(refMs),
    vsReference: summarise(runs.map((r, i) => r.ms / (refMs[i] ?? NaN))),
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
  const ref = await startReferenceSink(kind, si);
  try {
    const setup0 = await si.counters();
    for (let i = 0; i < 5; i++) await oneEvent(sink, si, 50);
    await warmUp(sink, ref, si);
    const sizes: SizeResult[] = [];
    for (const tasks of SIZES)
      sizes.push(await measureSize(sink, ref, si, tasks, reps(tasks)));
    const profile = await profileEvents(PROFILED_EVENTS, () =>
      oneEvent(sink, si, 50)
    );
    const phases = await measurePhases(kind, si);
    const end = await si.counters();
    return {
      kind,
      sizes,
      profile,
      phases,
      phaseEvents: TIMELINE_EVENTS,
      kmsDataReceived: end.kmsDataReceived,
      kmsSetupCalls:
        end.kmsGetPublicKey +
        end.kmsGetCryptoKey -
        setup0.kmsGetPublicKey -
        setup0.kmsGetCryptoKey,
    };
  } finally {
    await ref.close();
    await sink.close();
  }
}
