// trustedTasks matching: every task that ran must match one policy entry; the reason names what failed.
import type {
  TrustedBundle,
  TrustedCluster,
  TrustedGit,
  TrustedTask,
} from './policy.js';
import {
  describeRef,
  normaliseGitUrl,
  normaliseRepository,
  parseBundle,
  type TaskRefInfo,
} from './task-ref.js';
import type { TaskView } from './view.js';

const isBundle = (e: TrustedTask): e is TrustedBundle => 'bundle' in e;
const isGit = (e: TrustedTask): e is TrustedGit => 'git' in e;
const isCluster = (e: TrustedTask): e is TrustedCluster => 'name' in e;

type Bundle = Extract<TaskRefInfo, { type: 'bundle' }>;
type Git = Extract<TaskRefInfo, { type: 'git' }>;
type Cluster = Extract<TaskRefInfo, { type: 'cluster' }>;

function checkBundle(
  ref: Bundle,
  task: Pick<TaskView, 'source'>,
  entries: TrustedBundle[],
  list: string
): string | undefined {
  const same = entries.filter(
    (e) =>
      parseBundle(e.bundle).repository === normaliseRepository(ref.repository)
  );
  if (same.length === 0) return `bundle ${describeRef(ref)} is not in ${list}`;
  if (same.some((e) => e.digest === undefined)) return undefined;
  const pins = same.map((e) => e.digest).join(', ');
  if (!ref.digest)
    return `bundle ${describeRef(ref)} is not pinned to a digest (policy pins ${pins})`;
  if (!same.some((e) => e.digest === ref.digest))
    return `bundle ${describeRef(ref)} is not the pinned ${pins}`;
  const resolved = task.source?.digest.sha256;
  if (resolved && `sha256:${resolved}` !== ref.digest)
    return `bundle ${describeRef(ref)} resolved to sha256:${resolved}`;
  return undefined;
}

function checkGit(
  ref: Git,
  task: Pick<TaskView, 'source'>,
  entries: TrustedGit[],
  list: string
): string | undefined {
  const same = entries.filter(
    (e) =>
      normaliseGitUrl(e.git) === normaliseGitUrl(ref.url) && e.path === ref.path
  );
  if (same.length === 0)
    return `git ${list === 'trustedTasks' ? 'task' : 'pipeline'} ${describeRef(ref)} is not in ${list}`;
  if (same.some((e) => e.revision === undefined)) return undefined;
  const pins = same.map((e) => e.revision).join(', ');
  if (!same.some((e) => e.revision === ref.revision))
    return `git task ${describeRef(ref)} at revision ${JSON.stringify(ref.revision ?? '')}, policy pins ${pins}`;
  const resolved = task.source?.digest.sha1;
  if (resolved && resolved !== ref.revision)
    return `git task ${describeRef(ref)} resolved to commit ${resolved}`;
  return undefined;
}

// A ClusterTask is cluster-wide; a Task lives in a namespace: the resolver's, else the run's own. An entry
// without `namespace` matches only the run's own namespace, so a Task from another namespace never matches.
function checkCluster(
  ref: Cluster,
  entries: TrustedCluster[],
  scope: TrustScope
): string | undefined {
  const where =
    ref.kind === 'ClusterTask' ? undefined : (ref.namespace ?? scope.namespace);
  const hit = entries.some(
    (e) =>
      e.name === ref.name &&
      (e.kind === undefined || e.kind === ref.kind) &&
      (ref.kind === 'ClusterTask' ||
        (where !== undefined && where === (e.namespace ?? scope.namespace)))
  );
  if (hit) return undefined;
  const at = where === undefined ? '' : ` in namespace ${where}`;
  return `${describeRef(ref)}${at} is not in ${scope.list}`;
}

// Where a ref is judged: the run's namespace (for name entries), the policy list's name, inline allowance.
export interface TrustScope {
  namespace?: string;
  list: 'trustedTasks' | 'trustedPipelines';
  allowInline: boolean;
}

// Undefined when the task (or pipeline) is trusted, else why not (e.g. "inline taskSpec").
export function untrustedReason(
  task: Pick<TaskView, 'ref' | 'source'>,
  entries: readonly TrustedTask[],
  scope: TrustScope
): string | undefined {
  const ref = task.ref;
  switch (ref.type) {
    case 'inline':
      return scope.allowInline
        ? undefined
        : `inline ${scope.list === 'trustedTasks' ? 'taskSpec' : 'pipelineSpec'}`;
    case 'other':
      return `${describeRef(ref)} cannot be matched by ${scope.list}`;
    case 'bundle':
      return checkBundle(ref, task, entries.filter(isBundle), scope.list);
    case 'git':
      return checkGit(ref, task, entries.filter(isGit), scope.list);
    case 'cluster':
      return checkCluster(ref, entries.filter(isCluster), scope);
  }
}
