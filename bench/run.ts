// `npm run bench`: every figure of issue 9 in one run against local stand-ins; prints the table and
// writes bench/results.json. `--quick` runs fewer repetitions (for a smoke check, not for figures).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDeploy } from '../scripts/build-deploy.js';
import { measureColdStart } from './cold-start.js';
import { measureSink } from './latency.js';
import { machine, missed, renderTable, type Row } from './report.js';
import { callRows, coldRows, latencyRows } from './rows.js';
import {
  cappedRssRows,
  largeRunRows,
  sweepRows,
  throughputRows,
} from './rows-instance.js';
import { startStandIns } from './stand-ins.js';
import { measureSweep, type SweepResult } from './sweep.js';
import { measureThroughput } from './throughput.js';
import { renderProfile } from './profile.js';
import { renderPhases } from './timeline.js';
import { measureVerifyImage } from './verify-image.js';
import { scale } from './stats.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const quick = process.argv.includes('--quick');
// `--only=latency|cold|memory|sweep|vsa`: one part of the bench (for iterating; not for the published figures).
const only = /^--only=(\w+)$/
  .exec(process.argv.find((a) => a.startsWith('--only=')) ?? '')
  ?.at(1);
const wanted = (part: string) => only === undefined || only === part;
// reconcile is deployed with 512 MiB; a 128 MiB heap leaves room for the clients and the process.
const SWEEP_HEAP_MIB = 128;
// The heap attestRun is deployed with: NODE_OPTIONS exactly as infra/functions.tf states it.
function deployedNodeOptions(): string {
  const tf = readFileSync(join(ROOT, 'infra/functions.tf'), 'utf8');
  const value = /attest_run_node_options\s*=\s*"([^"]+)"/.exec(tf)?.[1];
  if (!value) throw new Error('infra/functions.tf states no NODE_OPTIONS');
  return value;
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
  const rows: Row[] = [];
  const profiles: string[] = [];
  try {
    // 41 pairs at 50 tasks (the goals' size): the pairwise median there moved ±0.2 between runs at 21.
    const reps = (tasks: number) =>
      quick ? 5 : tasks === 500 ? 11 : tasks === 50 ? 41 : 21;
    let floor50: number | undefined;
    if (wanted('latency')) {
      step('1–4 latency, local key + directory store');
      const local = await measureSink('local', si, reps);
      step('1–4 latency, KMS + GCS stand-ins');
      const kms = await measureSink('kms', si, reps);
      floor50 = kms.sizes.find((s) => s.tasks === 50)?.floorMs.median;
      Object.assign(results, { local, kms });
      rows.push(...latencyRows(local), ...latencyRows(kms));
      rows.push(...callRows(local, kms));
      for (const [label, r] of [
        ['local key + dir, 50 tasks', local],
        ['KMS + GCS, 50 tasks', kms],
      ] as const) {
        profiles.push(renderPhases(label, r.phases, r.phaseEvents));
        profiles.push(renderProfile(label, r.profile));
      }
    }
    if (wanted('cold')) {
      step('5 cold start');
      const cold = await measureColdStart(
        si,
        ROOT,
        quick ? 2 : 5,
        50,
        deployedNodeOptions()
      );
      results.cold = cold;
      rows.push(...coldRows(cold));
    }
    // Throughput, memory and the sweep run from the production artifact too (the bundle in build/deploy).
    const artifact = async () => (await buildDeploy({ root: ROOT })).out;
    if (wanted('memory')) {
      step('6 throughput and memory');
      const plan = [
        { concurrency: 1, events: quick ? 10 : 30 },
        { concurrency: 16, events: quick ? 32 : 96 },
        { concurrency: 80, events: quick ? 80 : 240 },
      ];
      const tp = await measureThroughput(
        si,
        await artifact(),
        plan,
        quick ? 1 : 3
      );
      // The same c=80 load with the deployed heap setting: the figure the memory goal is about.
      const nodeOptions = deployedNodeOptions();
      const tpCapped = await measureThroughput(
        si,
        await artifact(),
        plan.filter((p) => p.concurrency === 80),
        quick ? 1 : 3,
        { NODE_OPTIONS: nodeOptions }
      );
      Object.assign(results, {
        throughput: tp,
        throughputHeapCapped: tpCapped,
      });
      rows.push(...throughputRows(tp, floor50));
      rows.push(...cappedRssRows(tpCapped, nodeOptions));
      const large = await measureThroughput(
        si,
        await artifact(),
        [{ concurrency: 8, events: quick ? 8 : 24, tasks: 500 }],
        1,
        { NODE_OPTIONS: nodeOptions }
      ).catch((err: unknown) => err as Error);
      rows.push(...largeRunRows(large, nodeOptions));
    }
    if (wanted('vsa')) {
      step('8 verifyImage against plain verify, 50 tasks');
      const v = await measureVerifyImage(quick ? 5 : 21);
      results.verifyImage = v;
      rows.push({
        figure: '8',
        metric: 'verifyImage ÷ verify (duplicate delivery)',
        at: `${v.tasks} tasks`,
        value: scale(v.verifyImageRepeatMs, v.verifyMs.median),
        unit: '×',
        goal: '',
        note: `verify ${v.verifyMs.median.toFixed(1)} ms; verifyImage first delivery (signs + stores the VSA) ${v.verifyImageFirstMs.toFixed(1)} ms, duplicate ${v.verifyImageRepeatMs.median.toFixed(1)} ms (HTTP in process, policy re-read each time)`,
      });
    }
    if (wanted('sweep')) {
      const sweeps: SweepResult[] = [];
      const capped: SweepResult[] = [];
      for (const runs of quick ? [500, 1000] : [1000, 5000]) {
        step(`7 reconcile sweep over ${runs} runs`);
        sweeps.push(await measureSweep(si, await artifact(), runs));
        // Retained memory: with the heap capped, a sweep that held on to runs would peak higher or fail.
        step(`7 reconcile sweep over ${runs} runs, heap capped`);
        capped.push(
          await measureSweep(si, await artifact(), runs, [
            `--max-old-space-size=${SWEEP_HEAP_MIB}`,
          ])
        );
      }
      Object.assign(results, { sweeps, sweepsHeapCapped: capped });
      rows.push(...sweepRows(sweeps, capped, SWEEP_HEAP_MIB));
    }
    const m = {
      before,
      after: machine(),
      seconds: Math.round((Date.now() - started) / 1000),
      quick,
      ...(only ? { only } : {}),
    };
    const misses = missed(rows);
    console.log(renderTable(rows));
    for (const p of profiles) console.log(`\n${p}`);
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
