// Shape checks for the parts of a run the builders read, so that a malformed run is refused with
// ProvenanceError RUN_INVALID ("expected …, got …") instead of failing later with a TypeError.
import { ProvenanceError } from './errors.js';

export type Obj = Record<string, unknown>;

// A JSON object (not null, not an array).
export function isObject(value: unknown): value is Obj {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

// "a string", "a list", "null", … for error messages.
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function invalid(what: string, value: unknown): ProvenanceError {
  return new ProvenanceError(
    'RUN_INVALID',
    `expected ${what}, got ${describeValue(value)}`
  );
}

function at(root: Obj, path: readonly string[]): unknown {
  let node: unknown = root;
  for (const key of path) {
    node =
      isObject(node) || Array.isArray(node)
        ? (node as Record<string, unknown>)[key]
        : undefined;
  }
  return node;
}

// Checks that root.<path> is absent or an object.
export function expectObject(root: Obj, path: readonly string[]): void {
  const value = at(root, path);
  if (value !== undefined && !isObject(value)) {
    throw invalid(`${path.join('.')} to be an object`, value);
  }
}

// Checks that root.<path> is absent or a list of objects (each with a string `name` when named).
export function expectList(
  root: Obj,
  path: readonly string[],
  named = false
): void {
  const value = at(root, path);
  if (value === undefined) return;
  const where = path.join('.');
  if (!Array.isArray(value)) throw invalid(`${where} to be a list`, value);
  value.forEach((item: unknown, i) => {
    if (!isObject(item)) throw invalid(`${where}[${i}] to be an object`, item);
    if (named && typeof item['name'] !== 'string') {
      throw invalid(`${where}[${i}].name to be a string`, item['name']);
    }
  });
}

// Checks that root.<path> is absent or a list of strings.
export function expectStrings(root: Obj, path: readonly string[]): void {
  const value = at(root, path);
  if (value === undefined) return;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw invalid(`${path.join('.')} to be a list of strings`, value);
  }
}

// The TaskRun fields the statement builders read.
export function checkTaskRunShape(run: Obj): void {
  for (const p of ['spec', 'status', 'spec.taskRef', 'status.taskSpec']) {
    expectObject(run, p.split('.'));
  }
  expectObject(run, ['status', 'provenance', 'refSource']);
  expectList(run, ['spec', 'params'], true);
  expectList(run, ['status', 'results'], true);
  expectList(run, ['status', 'taskSpec', 'params'], true);
  for (const p of ['conditions', 'steps', 'sidecars']) {
    expectList(run, ['status', p]);
  }
  expectList(run, ['status', 'taskSpec', 'steps']);
  expectList(run, ['status', 'taskSpec', 'sidecars']);
  const steps = at(run, ['status', 'steps']);
  (Array.isArray(steps) ? steps : []).forEach((_, i) =>
    expectList(run, ['status', 'steps', String(i), 'results'], true)
  );
}

function checkPipelineTasks(run: Obj, path: string[]): void {
  expectList(run, path, true);
  const tasks = at(run, path);
  (Array.isArray(tasks) ? tasks : []).forEach((_, i) => {
    const base = [...path, String(i)];
    expectObject(run, [...base, 'taskRef']);
    expectList(run, [...base, 'params'], true);
    expectList(run, [...base, 'when']);
    expectStrings(run, [...base, 'runAfter']);
    expectObject(run, [...base, 'matrix']);
  });
}

// The PipelineRun fields the statement builders read.
export function checkPipelineRunShape(run: Obj): void {
  for (const p of ['spec', 'status', 'status.pipelineSpec']) {
    expectObject(run, p.split('.'));
  }
  expectObject(run, ['status', 'provenance', 'refSource']);
  expectList(run, ['spec', 'params'], true);
  expectList(run, ['status', 'results'], true);
  expectList(run, ['status', 'conditions']);
  expectList(run, ['status', 'childReferences'], true);
  expectList(run, ['status', 'skippedTasks'], true);
  expectList(run, ['status', 'pipelineSpec', 'params'], true);
  checkPipelineTasks(run, ['status', 'pipelineSpec', 'tasks']);
  checkPipelineTasks(run, ['status', 'pipelineSpec', 'finally']);
}
