// `npm run bench`: every figure of issue 9 in one run against local stand-ins; prints the table and
// writes bench/results.json. `--quick` runs fewer repetitions (for a smoke check, not for figures).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureColdStart } from './cold-start.js';
import { measureSink } from './latency.js';
import { missed, renderTable, type Row } from './report.js';
import { callRows, coldRows, latencyRows } from './rows.js';
import { sweepRows, throughputRows } from './rows-instance.js';
import { startStandIns } from './stand-ins.js';
import { measureSweep, type SweepResult } from './sweep.js';
import { measureThroughput } from './throughput.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const quick = process.argv.includes('--quick');

function machine() {
  const cpu =
    /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ??
    'unknown';
  return {
    nproc: availableParallelism(),
    cpu,
    node: process.version,
    loadavg: loadavg().map((l) => Number(l.toFixed(2))),
  };
}

const step = (what: string) => process.stderr.write(`bench: ${what}…\n`);

async function main(): Promise<void> {
  process.env.METADATA_SERVER_DETECTION = 'none';
  if (
    !existsSync(join(ROOT, 'dist/functions/index.js')) ||
    !existsSync(join(ROOT, 'dist/bench/fixtures/bare.js'))
  ) {
    throw new Error('dist/ is missing: run `npm run bench` (it builds first)');
  }
  const started = Date.now();
  const before = machine();
  const si = await startStandIns();
  const results: Record<string, unknown> = {};
  try {
    const reps = (tasks: number) => (quick ? 5 : tasks === 500 ? 11 : 21);
    step('1–4 latency, local key + directory store');
    const local = await measureSink('local', si, reps);
    step('1–4 latency, KMS + GCS stand-ins');
    const kms = await measureSink('kms', si, reps);
    step('5 cold start');
    const cold = await measureColdStart(si, ROOT, quick ? 2 : 5, 50);
    step('6 throughput and memory');
    const plan = [
      { concurrency: 1, events: quick ? 10 : 30 },
      { concurrency: 16, events: quick ? 32 : 96 },
      { concurrency: 80, events: quick ? 80 : 240 },
    ];
    const tp = await measureThroughput(si, ROOT, plan, quick ? 1 : 3);
    const sweeps: SweepResult[] = [];
    for (const runs of quick ? [500, 1000] : [1000, 5000]) {
      step(`7 reconcile sweep over ${runs} runs`);
      sweeps.push(await measureSweep(si, ROOT, runs));
    }
    Object.assign(results, { local, kms, cold, throughput: tp, sweeps });
    const floor50 = kms.sizes.find((s) => s.tasks === 50)?.floorMs.median;
    const rows: Row[] = [
      ...latencyRows(local),
      ...latencyRows(kms),
      ...callRows(local, kms),
      ...coldRows(cold),
      ...throughputRows(tp, floor50),
      ...sweepRows(sweeps),
    ];
    const m = {
      before,
      after: machine(),
      seconds: Math.round((Date.now() - started) / 1000),
      quick,
    };
    const misses = missed(rows);
    console.log(renderTable(rows));
    console.log(
      `\nmachine: ${m.before.nproc} × ${m.before.cpu}, node ${m.before.node}; load average ${m.before.loadavg.join(' ')} → ${m.after.loadavg.join(' ')}; ${m.seconds} s${quick ? ' (--quick)' : ''}`
    );
    console.log(
      misses.length === 0
        ? 'every goal met'
        : `goals not met: ${misses.map((r) => `#${r.figure} ${r.metric} (${r.at})`).join('; ')}`
    );
    writeFileSync(
      join(ROOT, 'bench/results.json'),
      `${JSON.stringify({ machine: m, rows, results }, null, 2)}\n`
    );
  } finally {
    await si.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(
      `bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`
    );
    process.exit(1);
  }
);
