// Figure 7: the reconcile function (a functions-framework child, production configuration) sweeping a
// cluster of N completed runs (N/5 PipelineRuns of 4 TaskRuns each); duration and peak RSS per N.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  peakRssMiB,
  productionEnv,
  spawnFunction,
  writeKubeconfig,
} from './child.js';
import { send } from './http.js';
import type { StandIns } from './stand-ins.js';
import { now } from './stats.js';

export interface SweepResult {
  runs: number;
  durationMs: number;
  peakRssMiB: number;
  // Peak RSS of the same child once listening, before the sweep (the baseline the sweep adds to).
  idleRssMiB: number;
  attestedNow: number;
  failed: number;
  calls: number;
}

type Report = {
  attestedNow: number;
  failed: { count: number };
  continue?: string;
};

// The generator's runs completed on 2026-05-04; the window reaches back to that day.
const windowDays = () =>
  Math.ceil((Date.now() - Date.parse('2026-05-04T00:00:00Z')) / 86_400_000) + 1;

export async function measureSweep(
  si: StandIns,
  root: string,
  runs: number,
  nodeArgs: string[] = []
): Promise<SweepResult> {
  await si.call({ op: 'clearRuns' });
  await si.call({ op: 'clearObjects' });
  await si.call({
    op: 'populate',
    pipelines: runs / 5,
    tasks: 4,
    namespaces: 20,
    prefix: `sweep${runs}`,
  });
  const home = await mkdtemp(join(tmpdir(), 'bench-sweep-'));
  const env = {
    ...productionEnv(si, writeKubeconfig(home, si)),
    RECONCILE_BUDGET_SECONDS: '600',
  };
  const child = await spawnFunction('reconcile', root, env, home, nodeArgs);
  try {
    await child.listening;
    const idleRssMiB = peakRssMiB(child.pid);
    const body: Record<string, unknown> = { window: `${windowDays()}d` };
    let attestedNow = 0;
    let failed = 0;
    let calls = 0;
    const t0 = now();
    for (;;) {
      calls++;
      const reply = await send(
        'POST',
        child.url,
        { 'content-type': 'application/json' },
        Buffer.from(JSON.stringify(body)),
        false
      );
      if (reply.status !== 200)
        throw new Error(
          `reconcile answered ${reply.status}: ${reply.body.toString().slice(0, 300)}`
        );
      const report = JSON.parse(reply.body.toString()) as Report;
      attestedNow += report.attestedNow;
      failed += report.failed.count;
      if (report.continue === undefined) break;
      body.continue = report.continue;
    }
    const durationMs = now() - t0;
    return {
      runs,
      durationMs,
      peakRssMiB: peakRssMiB(child.pid),
      idleRssMiB,
      attestedNow,
      failed,
      calls,
    };
  } finally {
    await child.stop();
    await rm(home, { recursive: true, force: true });
    await si.call({ op: 'clearRuns' });
    await si.call({ op: 'clearObjects' });
  }
}
