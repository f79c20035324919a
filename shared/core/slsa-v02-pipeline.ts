// TEP-0084 `buildConfig.tasks` of a PipelineRun: one entry per executed child TaskRun, sorted by start time.
// https://github.com/tektoncd/community/blob/main/teps/0084-endtoend-provenance-collection.md
import {
  childrenByTask,
  hasCompleted,
  pipelineTasks,
} from './tekton-children.js';
import { declaredAfter, resolveAfter } from './slsa-v02-after.js';
import { goTime, invocation, stepAttestation } from './slsa-v02-common.js';
import { refOf, statusOf } from './slsa-v02-ref.js';
import { taskRunRefMismatch } from './run-facts.js';
import type { PipelineRun, PipelineTask, RunInput, TaskRun } from './types.js';

type Entry = Record<string, unknown>;
interface Sortable {
  entry: Entry;
  after: string[];
  startKey: string;
  taskRunName: string;
}

// Steps paired by index; undefined when Chains would leave the TaskRun out (no taskSpec, count or name mismatch).
function pairedSteps(tr: TaskRun): Entry[] | undefined {
  const specSteps = tr.status.taskSpec?.steps;
  const states = tr.status.steps ?? [];
  if (!specSteps || specSteps.length !== states.length) return undefined;
  const mismatch = states.some(
    (s, i) =>
      String(s.name ?? '').startsWith('unnamed-') &&
      (specSteps[i]?.name ?? '') !== ''
  );
  return mismatch
    ? undefined
    : states.map((s, i) => stepAttestation(specSteps[i]!, s));
}

function startKey(value: unknown): string {
  const t = goTime(value);
  if (!t) return '~';
  const [secs = '', frac = ''] = t.slice(0, -1).split('.');
  return `${secs}.${frac.padEnd(9, '0')}`;
}

function taskEntry(
  run: PipelineRun,
  task: PipelineTask,
  tr: TaskRun,
  steps: Entry[]
): Entry {
  const entry: Entry = { name: task.name, ref: refOf(task) };
  // Ours, only when the TaskRun ran something other than the pipeline spec says: verify judges what ran.
  const ran = taskRunRefMismatch(run, task.name, tr);
  if (ran) entry['taskRunRef'] = ran;
  const started = goTime(tr.status.startTime);
  const finished = goTime(tr.status.completionTime);
  if (started) entry['startedOn'] = started;
  if (finished) entry['finishedOn'] = finished;
  const sa = run.spec.taskRunTemplate?.serviceAccountName;
  if (typeof sa === 'string' && sa !== '') entry['serviceAccountName'] = sa;
  const status = statusOf(tr);
  if (status) entry['status'] = status;
  if (steps.length > 0) entry['steps'] = steps;
  entry['invocation'] = invocation(
    tr,
    tr.spec.params ?? [],
    tr.status.taskSpec?.params ?? []
  );
  const results = (tr.status.results ?? []).map((r) =>
    r.type === undefined
      ? { name: r.name, value: r.value }
      : { name: r.name, type: r.type, value: r.value }
  );
  if (results.length > 0) entry['results'] = results;
  return entry;
}

// Chains' selection (spec order, completed, matching steps) with Chains' `after`, before sorting.
function collect(input: RunInput, run: PipelineRun): Sortable[] {
  const out: Sortable[] = [];
  let last = '';
  const byTask = childrenByTask(input);
  for (const { task, isFinally } of pipelineTasks(run)) {
    const taskRuns = byTask.get(task.name) ?? [];
    for (const tr of taskRuns.filter(hasCompleted)) {
      const steps = pairedSteps(tr);
      if (!steps) continue;
      let after = declaredAfter(task);
      if (after.length === 0 && isFinally && last !== '') after = [last];
      const entry = taskEntry(run, task, tr, steps);
      out.push({
        entry,
        after,
        startKey: startKey(tr.status.startTime),
        taskRunName: tr.metadata.name,
      });
    }
    if (!isFinally && taskRuns.length > 0) last = task.name;
  }
  return out;
}

function compare(a: Sortable, b: Sortable): number {
  const keys = (s: Sortable): string[] => [
    s.startKey,
    String(s.entry['name']),
    s.taskRunName,
  ];
  const [ka, kb] = [keys(a), keys(b)];
  for (let i = 0; i < ka.length; i++) {
    if (ka[i]! !== kb[i]!) return ka[i]! < kb[i]! ? -1 : 1;
  }
  return 0;
}

// buildConfig.tasks: executed tasks sorted by start time (ties: task name, TaskRun name); `after` names only
// tasks present. Spec: https://slsa.dev/spec/v0.2/provenance#buildConfig
export function pipelineTaskEntries(
  input: RunInput,
  run: PipelineRun
): Entry[] {
  const items = collect(input, run).sort(compare);
  const present = new Set(items.map((s) => String(s.entry['name'])));
  const specTasks = new Map(
    pipelineTasks(run).map(({ task }) => [task.name, task])
  );
  return items.map(({ entry, after }) => {
    const resolved = resolveAfter(after, present, specTasks);
    return resolved.length > 0
      ? { name: entry['name'], after: resolved, ...entry }
      : entry;
  });
}
