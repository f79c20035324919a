// trustedTasks matching: every task that ran must match one policy entry; the reason names what failed.
import type {
  Policy,
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
  task: TaskView,
  entries: TrustedBundle[]
): string | undefined {
  const same = entries.filter(
    (e) =>
      parseBundle(e.bundle).repository === normaliseRepository(ref.repository)
  );
  if (same.length === 0)
    return `bundle ${describeRef(ref)} is not in trustedTasks`;
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
  task: TaskView,
  entries: TrustedGit[]
): string | undefined {
  const same = entries.filter(
    (e) =>
      normaliseGitUrl(e.git) === normaliseGitUrl(ref.url) && e.path === ref.path
  );
  if (same.length === 0)
    return `git task ${describeRef(ref)} is not in trustedTasks`;
  if (same.some((e) => e.revision === undefined)) return undefined;
  const pins = same.map((e) => e.revision).join(', ');
  if (!same.some((e) => e.revision === ref.revision))
    return `git task ${describeRef(ref)} at revision ${JSON.stringify(ref.revision ?? '')}, policy pins ${pins}`;
  const resolved = task.source?.digest.sha1;
  if (resolved && resolved !== ref.revision)
    return `git task ${describeRef(ref)} resolved to commit ${resolved}`;
  return undefined;
}

function checkCluster(
  ref: Cluster,
  entries: TrustedCluster[]
): string | undefined {
  const hit = entries.some(
    (e) => e.name === ref.name && (e.kind === undefined || e.kind === ref.kind)
  );
  return hit ? undefined : `${describeRef(ref)} is not in trustedTasks`;
}

// Undefined when the task is trusted, else why not (e.g. "inline taskSpec").
export function untrustedReason(
  task: TaskView,
  policy: Policy
): string | undefined {
  const entries = policy.trustedTasks ?? [];
  const ref = task.ref;
  switch (ref.type) {
    case 'inline':
      return policy.allowInlineTasks ? undefined : 'inline taskSpec';
    case 'other':
      return `${describeRef(ref)} cannot be matched by trustedTasks`;
    case 'bundle':
      return checkBundle(ref, task, entries.filter(isBundle));
    case 'git':
      return checkGit(ref, task, entries.filter(isGit));
    case 'cluster':
      return checkCluster(ref, entries.filter(isCluster));
  }
}
