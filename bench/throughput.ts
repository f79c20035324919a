// Figure 6: events per second of one sink instance (a functions-framework child, production configuration)
// at concurrency 1, 16 and 80 on 50-task pipelines, and its peak RSS (VmHWM) in each round.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  cpuMs,
  peakRssMiB,
  productionEnv,
  resetPeakRss,
  spawnFunction,
  writeKubeconfig,
} from './child.js';
import { genPipeline, terminalEvent } from './gen-pipeline.js';
import { postEvent } from './http.js';
import type { StandIns } from './stand-ins.js';
import { now, summarise, type Summary } from './stats.js';

export interface ThroughputLevel {
  concurrency: number;
  tasks: number;
  eventsPerSecond: Summary;
  latencyMs: Summary;
  // The sink process's CPU time per event (user + system, all threads).
  cpuMsPerEvent: Summary;
  peakRssMiB: Summary;
}

export interface ThroughputResult {
  levels: ThroughputLevel[];
  peakResetWorks: boolean;
}

const TASKS = 50;
let seq = 0;

// Puts a fresh run in the cluster (own namespace, so the stand-in's lists stay small) and builds its event.
async function prepare(si: StandIns, tasks: number) {
  const name = `tp-${++seq}`;
  const namespace = `tp-${seq}`;
  await si.call({ op: 'addPipeline', tasks, name, namespace });
  return {
    name,
    namespace,
    event: terminalEvent(genPipeline(tasks, name, namespace), `bench-${name}`),
  };
}

// `events` events through `concurrency` workers; each prepares its next run while the current one is in flight.
async function round(
  si: StandIns,
  url: string,
  concurrency: number,
  events: number,
  tasks = TASKS
) {
  let left = events;
  const latencies: number[] = [];
  const removals: Promise<unknown>[] = [];
  const worker = async () => {
    let next = left-- > 0 ? prepare(si, tasks) : undefined;
    while (next) {
      const cur = await next;
      next = left-- > 0 ? prepare(si, tasks) : undefined;
      const t0 = now();
      await postEvent(url, cur.event);
      latencies.push(now() - t0);
      removals.push(
        si.call({
          op: 'removePipeline',
          tasks,
          name: cur.name,
          namespace: cur.namespace,
        })
      );
    }
  };
  const t0 = now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (now() - t0) / 1000;
  await Promise.all(removals);
  return { eventsPerSecond: events / seconds, latencies };
}

export async function measureThroughput(
  si: StandIns,
  root: string,
  plan: { concurrency: number; events: number; tasks?: number }[],
  rounds: number,
  // e.g. NODE_OPTIONS as deployed (infra/functions.tf).
  extraEnv: Record<string, string> = {}
): Promise<ThroughputResult> {
  const home = await mkdtemp(join(tmpdir(), 'bench-tp-'));
  const child = await spawnFunction(
    'attestRun',
    root,
    { ...productionEnv(si, writeKubeconfig(home, si)), ...extraEnv },
    home
  );
  let peakResetWorks = true;
  try {
    await child.listening;
    await round(si, child.url, 4, 24);
    const levels: ThroughputLevel[] = [];
    for (const { concurrency, events, tasks } of plan) {
      const eps: number[] = [];
      const lat: number[] = [];
      const rss: number[] = [];
      const cpu: number[] = [];
      for (let r = 0; r < rounds; r++) {
        peakResetWorks = resetPeakRss(child.pid) && peakResetWorks;
        const cpu0 = cpuMs(child.pid);
        const res = await round(si, child.url, concurrency, events, tasks);
        cpu.push((cpuMs(child.pid) - cpu0) / events);
        eps.push(res.eventsPerSecond);
        lat.push(...res.latencies);
        rss.push(peakRssMiB(child.pid));
      }
      levels.push({
        concurrency,
        tasks: tasks ?? TASKS,
        eventsPerSecond: summarise(eps),
        latencyMs: summarise(lat),
        cpuMsPerEvent: summarise(cpu),
        peakRssMiB: summarise(rss),
      });
    }
    return { levels, peakResetWorks };
  } finally {
    await child.stop();
    await rm(home, { recursive: true, force: true });
  }
}
