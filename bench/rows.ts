// Measured results → table rows, each with its goal (issue 9) and verdict on the median.
import type { ColdStartResult } from './cold-start.js';
import type { SinkResult } from './latency.js';
import type { Row } from './report.js';
import { scale } from './stats.js';

const LABEL = { local: 'local key + dir', kms: 'KMS + GCS' } as const;

// Issue 14: the sink ÷ the floor at 50 tasks, per configuration; the sink ÷ the reference sink.
const FLOOR_GOAL = { local: 3.0, kms: 4.0 } as const;
const REFERENCE_GOAL = 1.3;

export function latencyRows(r: SinkResult): Row[] {
  const rows: Row[] = [];
  const label = LABEL[r.kind];
  const goal = FLOOR_GOAL[r.kind];
  for (const s of r.sizes) {
    const at = `${s.tasks} tasks`;
    const value = scale(s.latencyMs, s.floorMs.median);
    const gated = s.tasks === 50;
    rows.push({
      figure: '1',
      metric: `overhead ratio, ${label}`,
      at,
      value,
      unit: '×',
      goal: gated ? `≤ ${goal.toFixed(1)}` : '',
      ...(gated ? { met: value.median <= goal } : {}),
      note: `latency ${s.latencyMs.median.toFixed(1)} ms (min ${s.latencyMs.min.toFixed(1)}, max ${s.latencyMs.max.toFixed(1)}); reference sink ${s.referenceMs.median.toFixed(1)} ms (${(s.referenceMs.median / s.floorMs.median).toFixed(1)}× the floor); floor ${s.floorMs.median.toFixed(2)} ms; fetched ${(s.fetchedBytes / 1024).toFixed(0)} KiB, statement ${(s.statementBytes / 1024).toFixed(0)} KiB`,
    });
    const vsRef = s.vsReference;
    rows.push({
      figure: '1r',
      metric: `sink ÷ reference sink (pairwise), ${label}`,
      at,
      value: vsRef,
      unit: '×',
      goal: gated ? `≤ ${REFERENCE_GOAL}` : '',
      ...(gated ? { met: vsRef.median <= REFERENCE_GOAL } : {}),
    });
  }
  const at = (n: number) => r.sizes.find((s) => s.tasks === n)?.latencyMs;
  const [l50, l500] = [at(50), at(500)];
  if (l50 && l500) {
    const value = scale(l500, l50.median);
    rows.push({
      figure: '2',
      metric: `scaling 500 ÷ 50, ${label}`,
      at: '500 ÷ 50 median',
      value,
      unit: '×',
      goal: '≤ 12',
      met: value.median <= 12,
    });
  }
  return rows;
}

export function callRows(local: SinkResult, kms: SinkResult): Row[] {
  const rows: Row[] = [];
  for (const s of local.sizes) {
    const chains = `Chains design: 1 + ${s.tasks} reads + ${s.tasks + 1} writes = ${2 * s.tasks + 2}`;
    const all = [...local.sizes, ...kms.sizes]
      .filter((x) => x.tasks === s.tasks)
      .map((x) => x.kubeCalls);
    const value = {
      min: Math.min(...all.map((x) => x.min)),
      median: s.kubeCalls.median,
      max: Math.max(...all.map((x) => x.max)),
      n: all.reduce((n, x) => n + x.n, 0),
    };
    rows.push({
      figure: '3',
      metric: 'Kubernetes API calls / PipelineRun',
      at: `${s.tasks} tasks`,
      value,
      unit: 'calls',
      goal: '= 2',
      met: value.min === 2 && value.max === 2,
      note: chains,
    });
  }
  for (const s of kms.sizes) {
    const ok =
      s.kmsSignCalls.min === 1 &&
      s.kmsSignCalls.max === 1 &&
      kms.kmsDataReceived === 0;
    rows.push({
      figure: '4',
      metric: 'KMS AsymmetricSign / attestation',
      at: `${s.tasks} tasks`,
      value: s.kmsSignCalls,
      unit: 'calls',
      goal: '= 1, digest only',
      met: ok,
      note: `requests carrying \`data\` (the document) seen by the KMS stand-in: ${kms.kmsDataReceived} → ${kms.kmsDataReceived === 0 ? 'only the digest was sent' : 'DOCUMENT SENT'}; key lookups for the whole instance: ${kms.kmsSetupCalls}`,
    });
  }
  return rows;
}

export function coldRows(c: ColdStartResult): Row[] {
  const value = scale(c.sinkMs, c.bareMs.median);
  return [
    {
      figure: '5',
      metric: 'cold start: bare function',
      at: 'spawn→200',
      value: c.bareMs,
      unit: 'ms',
      goal: '',
      note: `both functions with the deployed NODE_OPTIONS=${c.nodeOptions}`,
    },
    {
      figure: '5',
      metric: 'cold start: sink, production config',
      at: 'spawn→stored',
      value: c.sinkMs,
      unit: 'ms',
      goal: '',
      note: `build/deploy bundle (${c.entryKiB} KiB entry + chunks, ${c.bundleKiB} KiB in all); of which spawn→listening ${c.sinkListeningMs.median.toFixed(0)} ms (median)`,
    },
    {
      figure: '5',
      metric: 'cold start ratio sink ÷ bare',
      at: '÷ bare median',
      value,
      unit: '×',
      goal: '≤ 2.0',
      met: value.median <= 2,
    },
  ];
}
