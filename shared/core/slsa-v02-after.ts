// `after` of a TEP-0084 task entry: runAfter plus the tasks whose results a pipeline task references
// (`$(tasks.X.results…)` in params, matrix params, when expressions and inline step/sidecar fields).
import type { PipelineTask } from './types.js';

const RESULT_REF = /\$\(tasks\.([^.)\s[\]]+)\.results[.[]/g;

function strings(value: unknown, out: string[], depth = 0): void {
  if (depth > 8) return;
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) {
    for (const v of value) strings(v, out, depth + 1);
  } else if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) strings(v, out, depth + 1);
  }
}

// The text of every place a result reference can appear in a pipeline task.
function referenceSites(task: PipelineTask): string[] {
  const out: string[] = [];
  const matrix = task.matrix ?? {};
  strings(
    (task.params ?? []).map((p) => p.value),
    out
  );
  strings(
    (matrix.params ?? []).map((p) => p.value),
    out
  );
  for (const inc of matrix.include ?? []) {
    strings(
      (inc.params ?? []).map((p) => p.value),
      out
    );
  }
  for (const w of task.when ?? []) strings([w.input, w.values, w.cel], out);
  const spec = task.taskSpec;
  strings([spec?.steps, spec?.sidecars], out);
  return out;
}

// Pipeline tasks named by `$(tasks.<name>.results.…)` references, in order of appearance.
export function resultReferences(task: PipelineTask): string[] {
  const names: string[] = [];
  for (const text of referenceSites(task)) {
    for (const m of text.matchAll(RESULT_REF)) names.push(m[1]!);
  }
  return names;
}

// Chains' rule: runAfter as written, then each referenced task not already listed.
export function declaredAfter(task: PipelineTask): string[] {
  const after = [...(task.runAfter ?? [])];
  for (const name of resultReferences(task)) {
    if (!after.includes(name)) after.push(name);
  }
  return after;
}

// Keeps names of tasks present in the statement; a task that did not run is replaced by its own
// predecessors (transitively), so `after` never names a task missing from buildConfig.tasks.
export function resolveAfter(
  after: readonly string[],
  present: ReadonlySet<string>,
  specTasks: ReadonlyMap<string, PipelineTask>
): string[] {
  const out: string[] = [];
  const visited = new Set<string>();
  const visit = (name: string): void => {
    if (present.has(name)) {
      if (!out.includes(name)) out.push(name);
      return;
    }
    if (visited.has(name)) return;
    visited.add(name);
    const task = specTasks.get(name);
    if (task) declaredAfter(task).forEach(visit);
  };
  after.forEach(visit);
  return out;
}
