// Rows for the figures measured on a functions-framework child: throughput, memory, reconcile sweep.
import type { Row } from './report.js';
import { one } from './stats.js';
import type { SweepResult } from './sweep.js';
import type { ThroughputResult } from './throughput.js';

export function throughputRows(
  t: ThroughputResult,
  floorMs: number | undefined
): Row[] {
  const rows: Row[] = [];
  for (const l of t.levels) {
    rows.push({
      figure: '6',
      metric: 'throughput, 50-task runs',
      at: `c=${l.concurrency}`,
      value: l.eventsPerSecond,
      unit: 'events/s',
      goal: '',
      note: `latency median ${l.latencyMs.median.toFixed(0)} ms; sink CPU ${l.cpuMsPerEvent.median.toFixed(1)} ms/event${floorMs ? ` (${(l.cpuMsPerEvent.median / floorMs).toFixed(1)}× the floor)` : ''}; peak RSS ${l.peakRssMiB.median.toFixed(0)} MiB`,
    });
  }
  const at80 = t.levels.find((l) => l.concurrency === 80);
  if (at80) {
    rows.push({
      figure: '6',
      metric: 'peak RSS of the sink, heap uncapped',
      at: 'c=80',
      value: at80.peakRssMiB,
      unit: 'MiB',
      goal: '',
      note: t.peakResetWorks
        ? 'VmHWM reset before each round (clear_refs)'
        : 'VmHWM could not be reset: lifetime peak',
    });
  }
  return rows;
}

// Peak RSS at c=80 with the deployed heap setting (NODE_OPTIONS from infra/functions.tf): the memory goal.
// Every event was answered 200 (postEvent throws otherwise, which stops the bench).
export function cappedRssRows(t: ThroughputResult, nodeOptions: string): Row[] {
  return t.levels.map((l) => ({
    figure: '6',
    metric: `peak RSS, deployed NODE_OPTIONS=${nodeOptions}`,
    at: `c=${l.concurrency}`,
    value: l.peakRssMiB,
    unit: 'MiB',
    goal: '≤ 256, all 200',
    met: l.peakRssMiB.max <= 256,
    note: `${l.eventsPerSecond.median.toFixed(1)} events/s, latency median ${l.latencyMs.median.toFixed(0)} ms, every event answered 200${t.peakResetWorks ? '' : '; VmHWM could not be reset: lifetime peak'}`,
  }));
}

// Duration and peak RSS per sweep size; flatness is judged on the heap-capped runs, whose peak shows
// what the sweep retains (uncapped, V8 grows the heap lazily and the peak mostly measures garbage).
export function sweepRows(
  results: SweepResult[],
  capped: SweepResult[],
  heapMiB: number
): Row[] {
  const rows: Row[] = [...results, ...capped].map((s): Row => ({
    figure: '7',
    metric: 'reconcile sweep duration',
    at: `${s.runs} runs`,
    value: one(s.durationMs / 1000),
    unit: 's',
    goal: '',
    ...(s.attestedNow === s.runs && s.failed === 0 ? {} : { met: false }),
    note: `${s.attestedNow} attested, ${s.failed} failed, ${s.calls} call(s), ${(s.runs / (s.durationMs / 1000)).toFixed(0)} runs/s${capped.includes(s) ? `, heap capped at ${heapMiB} MiB` : ''}`,
  }));
  for (const s of results) rows.push(peakRow(s, 'reconcile sweep peak RSS'));
  for (const s of capped)
    rows.push(peakRow(s, `sweep peak RSS, heap capped at ${heapMiB} MiB`));
  const [small, big] = [capped[0], capped[capped.length - 1]];
  if (small && big && small !== big) {
    const value = one(big.peakRssMiB / small.peakRssMiB);
    rows.push({
      figure: '7',
      metric: `retained memory: capped peak RSS ${big.runs} ÷ ${small.runs} runs (flat)`,
      at: 'ratio',
      value,
      unit: '×',
      goal: '≤ 1.2',
      met:
        value.median <= 1.2 && big.failed === 0 && big.attestedNow === big.runs,
    });
  }
  return rows;
}

function peakRow(s: SweepResult, metric: string): Row {
  return {
    figure: '7',
    metric,
    at: `${s.runs} runs`,
    value: one(s.peakRssMiB),
    unit: 'MiB',
    goal: '',
    note: `idle before the sweep ${s.idleRssMiB.toFixed(0)} MiB`,
  };
}

// 500-task events at MAX_INFLIGHT_ATTESTATIONS (8) in flight, with the deployed heap: every event must answer 200,
// or the heap setting would lose the largest runs (a crash is no 503).
export function largeRunRows(
  t: ThroughputResult | Error,
  nodeOptions: string
): Row[] {
  const base = {
    figure: '6',
    metric: `peak RSS, 500-task runs, NODE_OPTIONS=${nodeOptions}`,
    at: 'c=8',
    unit: 'MiB',
    goal: 'all 200',
  };
  if (t instanceof Error)
    return [
      {
        ...base,
        value: { min: NaN, median: NaN, max: NaN, n: 0 },
        met: false,
        note: `failed: ${t.message.split('\n')[0] ?? ''}`,
      },
    ];
  return t.levels.map((l) => ({
    ...base,
    value: l.peakRssMiB,
    met: true,
    note: `latency median ${l.latencyMs.median.toFixed(0)} ms, every event answered 200`,
  }));
}
