// The Tekton model's entry points: run documents (JSON or YAML, v1/v1beta1/CloudEvent payload) into the
// v1 model of types.ts, child TaskRun lists, and the run facts attestation depends on.
import { parseAllDocuments } from 'yaml';
import { EventError } from './errors.js';
import type { RunIdentity } from './layout.js';
import { childTaskRunRefs, notAChildReason } from './tekton-child-check.js';
import { normaliseRun } from './tekton-normalise.js';
import { isObject } from './tekton-shape.js';
import type { RunInput, TaskRun, TektonRun } from './types.js';

export { normaliseRun, type RunKind } from './tekton-normalise.js';
export {
  childTaskRunRefs,
  IGNORED_CHILD_REASONS,
  ignoredTaskRun,
  isOwnedBy,
  notAChildReason,
  type IgnoredChildReason,
  type IgnoredTaskRun,
} from './tekton-child-check.js';
export {
  hasCompleted,
  makeRunInput,
  pipelineTaskNameOf,
  pipelineTasks,
  taskRunsOf,
} from './tekton-children.js';

function malformed(what: string, err: unknown): EventError {
  const detail = err instanceof Error ? err.message.split('\n')[0] : '';
  return new EventError('EVENT_MALFORMED', `expected ${what}, got ${detail}`, {
    cause: err,
  });
}

// Every document in the text: one JSON value, or a YAML stream (aliases capped, errors → EVENT_MALFORMED).
function parseDocuments(text: string): unknown[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return [JSON.parse(trimmed) as unknown];
    } catch (err) {
      throw malformed('valid JSON', err);
    }
  }
  try {
    const docs = parseAllDocuments(text);
    const list = Array.isArray(docs) ? docs : [docs];
    const failed = list.find((d) => d.errors.length > 0);
    if (failed) throw failed.errors[0] as Error;
    return list.map((d) => d.toJS({ maxAliasCount: 100 }) as unknown);
  } catch (err) {
    throw malformed('valid YAML', err);
  }
}

// One TaskRun or PipelineRun from a JSON or YAML text.
export function parseRunDocument(text: string): TektonRun {
  const docs = parseDocuments(text).filter((d) => d !== null);
  if (docs.length !== 1) {
    throw new EventError(
      'EVENT_MALFORMED',
      `expected one run document, got ${docs.length}`
    );
  }
  return normaliseRun(docs[0]);
}

// TaskRuns from a Kubernetes List, a JSON array, a multi-document YAML stream or a single TaskRun.
export function parseTaskRunsDocument(text: string): TaskRun[] {
  const items = parseDocuments(text).flatMap((doc): unknown[] => {
    if (doc === null) return [];
    if (Array.isArray(doc)) return doc;
    if (isObject(doc) && Array.isArray(doc['items'])) return doc['items'];
    return [doc];
  });
  return items.map((item) => {
    const run = normaliseRun(item, 'TaskRun');
    return run as TaskRun;
  });
}

// The store identity of a run (layout.ts).
export function runIdentity(run: TektonRun): RunIdentity {
  const { namespace, name, uid } = run.metadata;
  return {
    kind: run.kind === 'TaskRun' ? 'taskrun' : 'pipelinerun',
    namespace,
    name,
    uid,
  };
}

// Finished: the Succeeded condition is True or False (Unknown or absent means still running).
export function isRunDone(run: TektonRun): boolean {
  const succeeded = (run.status.conditions ?? []).find(
    (c) => c.type === 'Succeeded'
  );
  return succeeded?.status === 'True' || succeeded?.status === 'False';
}

// Names of the PipelineRun's childReferences of kind TaskRun without a finished genuine child in input.
// CustomRun and nested PipelineRun entries are never fetched, so they are never waited for.
export function missingOrUnfinishedChildren(input: RunInput): string[] {
  const { run } = input;
  if (run.kind !== 'PipelineRun') return [];
  const refs = childTaskRunRefs(run);
  const done = new Set(
    input.taskRuns
      .filter((tr) => notAChildReason(run, tr, refs) === undefined)
      .filter(isRunDone)
      .map((tr) => tr.metadata.name)
  );
  return [...refs.keys()].filter((name) => !done.has(name));
}
