// Which TaskRuns are children of a PipelineRun, from what the Tekton controller wrote and a CI user
// cannot: the PipelineRun's status.childReferences and the child's ownerReference to the PipelineRun's
// uid. Labels (tekton.dev/pipelineRun, pipelineRunUID, pipelineTask) are user-writable and never decide.
import { isObject } from './tekton-shape.js';
import type { ChildReference, PipelineRun, TaskRun } from './types.js';

// Why a TaskRun offered as a child is not one (a closed set, logged by the adapters).
export const IGNORED_CHILD_REASONS = [
  // The object is not a TaskRun.
  'not-a-taskrun',
  // It is in another namespace than the PipelineRun.
  'other-namespace',
  // No childReferences entry of kind TaskRun has its name.
  'not-in-child-references',
  // No ownerReference of kind PipelineRun names the PipelineRun's uid.
  'not-owned',
  // The API server returned something that is not a readable TaskRun (adapters only).
  'malformed',
] as const;
export type IgnoredChildReason = (typeof IGNORED_CHILD_REASONS)[number];

// A TaskRun offered as a child that is not one: never an error, never in a statement; adapters log it.
export interface IgnoredTaskRun {
  name: string;
  namespace: string;
  uid: string;
  reason: IgnoredChildReason;
}

// A childReferences entry that names a TaskRun (CustomRun and nested PipelineRun entries are not).
export function isTaskRunReference(ref: ChildReference): boolean {
  return ref.kind === 'TaskRun';
}

// name → childReferences entry, for the entries of kind TaskRun (the first entry of a name wins).
export function childTaskRunRefs(
  run: PipelineRun
): Map<string, ChildReference> {
  const refs = new Map<string, ChildReference>();
  for (const ref of run.status.childReferences ?? []) {
    if (isTaskRunReference(ref) && !refs.has(ref.name)) refs.set(ref.name, ref);
  }
  return refs;
}

// Whether metadata.ownerReferences (as stored, unvalidated) has kind PipelineRun with this uid.
export function isOwnedBy(metadata: unknown, uid: string): boolean {
  const owners = isObject(metadata) ? metadata['ownerReferences'] : undefined;
  return (Array.isArray(owners) ? owners : []).some(
    (o) => isObject(o) && o['kind'] === 'PipelineRun' && o['uid'] === uid
  );
}

// Why taskRun is not a child of run, or undefined when it is one (refs: childTaskRunRefs(run)).
export function notAChildReason(
  run: PipelineRun,
  taskRun: { kind: string; metadata: TaskRun['metadata'] },
  refs: ReadonlyMap<string, ChildReference> = childTaskRunRefs(run)
): IgnoredChildReason | undefined {
  const { metadata } = taskRun;
  if (taskRun.kind !== 'TaskRun') return 'not-a-taskrun';
  if (metadata.namespace !== run.metadata.namespace) return 'other-namespace';
  if (!refs.has(metadata.name)) return 'not-in-child-references';
  if (!isOwnedBy(metadata, run.metadata.uid)) return 'not-owned';
  return undefined;
}

// The record of an ignored TaskRun.
export function ignoredTaskRun(
  metadata: { name: string; namespace: string; uid: string },
  reason: IgnoredChildReason
): IgnoredTaskRun {
  const { name, namespace, uid } = metadata;
  return { name, namespace, uid, reason };
}
