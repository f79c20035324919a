// CPU profile of the in-process sink (the V8 profiler of this process, as `--cpu-prof` records it) over a
// batch of events: self time grouped by package or source file, and the costliest functions, per event.
import { Session } from 'node:inspector/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface Cost {
  what: string;
  msPerEvent: number;
}

export interface ProfileResult {
  events: number;
  // Busy (non-idle) CPU of this process per event, and the top groups / functions of it.
  busyMsPerEvent: number;
  groups: Cost[];
  functions: Cost[];
}

// node_modules/<pkg> (scoped too), our own dist/<dir>/<file>, node:<module>, or the V8 pseudo-frame.
function groupOf(url: string, fn: string): string {
  if (url === '') return fn.startsWith('(') ? fn : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  const own = /\/dist\/(.+?)\.js$/.exec(url)?.[1];
  if (own) return own.startsWith('bench/') ? 'bench harness' : own;
  if (url.startsWith('node:'))
    return url.replace(/^node:internal\/([^/]+).*/, 'node:$1');
  return url.replace(/^.*\//, '');
}

// Self time (µs) per node id, from the sample stream.
function selfTimes(p: Profile): Map<number, number> {
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => {
    self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0));
  });
  return self;
}

function top(totals: Map<string, number>, events: number, n: number): Cost[] {
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([what, us]) => ({ what, msPerEvent: us / 1000 / events }));
}

// Native frames (no url) are charged to their nearest JavaScript caller: "name ← caller".
function callers(p: Profile): Map<number, ProfileNode> {
  const parent = new Map<number, ProfileNode>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n);
  const caller = new Map<number, ProfileNode>();
  for (const n of p.nodes) {
    let up = parent.get(n.id);
    while (up && up.callFrame.url === '') up = parent.get(up.id);
    if (up) caller.set(n.id, up);
  }
  return caller;
}

function labelOf(node: ProfileNode, caller: ProfileNode | undefined) {
  const { functionName, url, lineNumber } = node.callFrame;
  const name = functionName || '(anonymous)';
  if (url !== '' || !caller)
    return {
      group: groupOf(url, functionName),
      fn: `${name} ${groupOf(url, functionName)}:${lineNumber + 1}`,
    };
  const c = caller.callFrame;
  const group = groupOf(c.url, c.functionName);
  return {
    group,
    fn: `${name} (native) ← ${c.functionName || '(anonymous)'} ${group}:${c.lineNumber + 1}`,
  };
}

// Groups and functions by self time; (idle) is left out of the busy time.
export function summariseProfile(p: Profile, events: number): ProfileResult {
  const self = selfTimes(p);
  const caller = callers(p);
  const groups = new Map<string, number>();
  const fns = new Map<string, number>();
  let busy = 0;
  for (const node of p.nodes) {
    const us = self.get(node.id) ?? 0;
    const { group, fn } = labelOf(node, caller.get(node.id));
    // The profiler's own Profiler.stop (serialising the profile) is not the sink's work.
    if (us === 0 || group === '(idle)' || group === 'node:inspector') continue;
    busy += us;
    groups.set(group, (groups.get(group) ?? 0) + us);
    fns.set(fn, (fns.get(fn) ?? 0) + us);
  }
  return {
    events,
    busyMsPerEvent: busy / 1000 / events,
    groups: top(groups, events, 14),
    functions: top(fns, events, 12),
  };
}

// Runs `events` calls of one() under the profiler (100 µs sampling) and summarises the profile.
export async function profileEvents(
  events: number,
  one: () => Promise<unknown>
): Promise<ProfileResult> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
    for (let i = 0; i < events; i++) await one();
    const { profile } = (await session.post('Profiler.stop')) as {
      profile: Profile;
    };
    return summariseProfile(profile, events);
  } finally {
    session.disconnect();
  }
}

// The profile as text lines for the bench output.
export function renderProfile(label: string, r: ProfileResult): string {
  const line = (c: Cost) =>
    `  ${c.msPerEvent.toFixed(2).padStart(6)} ms  ${c.what}`;
  return [
    `CPU profile, ${label}: ${r.busyMsPerEvent.toFixed(2)} ms busy per event over ${r.events} events (bench harness included)`,
    ' by package / file (self time per event):',
    ...r.groups.map(line),
    ' top functions (self time per event):',
    ...r.functions.map(line),
  ].join('\n');
}
