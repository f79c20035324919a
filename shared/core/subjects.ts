// Statement subjects from type-hinted results (Chains slsa/extract/extract.go), for both rule sets:
// SLSA v0.2 (`in-toto`) and SLSA v1.0 (`slsa/v2alpha4`). Order is deterministic; duplicates are merged.
import { appendArtifacts, type NamedDigest } from './artifact-set.js';
import {
  extractBuildArtifacts,
  extractOciImages,
  extractSignableTargets,
  extractStructuredTargets,
  type Signable,
} from './result-hints.js';
import {
  childrenByTask,
  hasCompleted,
  pipelineTasks,
} from './tekton-children.js';
import type { RunInput, RunResult, Subject, TaskRun } from './types.js';

function fromSignable(s: Signable): NamedDigest {
  const [alg = '', hex = ''] = s.digest.split(':');
  return { name: s.uri, digest: { [alg]: hex } };
}

function fromImages(results: readonly RunResult[]): NamedDigest[] {
  return extractOciImages(results).map((ref) => ({
    name: ref.repository,
    digest: { sha256: ref.sha256 },
  }));
}

// v0.2 rule for one result list: images (IMAGE_URL/DIGEST, IMAGES, build-artifact outputs), then
// ARTIFACT_URI/DIGEST pairs, then every valid *ARTIFACT_OUTPUTS object.
export function subjectsFromResultsV02(
  results: readonly RunResult[]
): Subject[] {
  return appendArtifacts(
    [],
    [
      ...fromImages(results),
      ...extractSignableTargets(results).map(fromSignable),
      ...extractStructuredTargets(results, 'ARTIFACT_OUTPUTS').map(
        fromSignable
      ),
    ]
  );
}

// v1.0 rule for one result list (SubjectsFromBuildArtifact): build-artifact outputs as written, then images.
export function subjectsFromBuildArtifacts(
  results: readonly RunResult[]
): Subject[] {
  return appendArtifacts(
    [],
    [
      ...extractBuildArtifacts(results).map(fromSignable),
      ...fromImages(results),
    ]
  );
}

// Completed child TaskRuns in pipeline spec order (tasks, then finally), as deep inspection visits them.
export function completedChildren(input: RunInput): TaskRun[] {
  if (input.run.kind !== 'PipelineRun') return [];
  const byTask = childrenByTask(input);
  return pipelineTasks(input.run).flatMap(({ task }) =>
    (byTask.get(task.name) ?? []).filter(hasCompleted)
  );
}

// SLSA v0.2 subjects: the run's results; with deep inspection, children's first, then the PipelineRun's.
export function subjectsV02(
  input: RunInput,
  deepInspection: boolean
): Subject[] {
  const own = subjectsFromResultsV02(input.run.status.results ?? []);
  if (input.run.kind === 'TaskRun' || !deepInspection) return own;
  const children = completedChildren(input).flatMap((tr) =>
    subjectsFromResultsV02(tr.status.results ?? [])
  );
  return appendArtifacts(appendArtifacts([], children), own);
}

// v1.0 subjects of a TaskRun: each step's results first, then the TaskRun's results.
export function taskRunSubjectsV1(taskRun: TaskRun): Subject[] {
  const lists = [
    ...(taskRun.status.steps ?? []).map((s) => s.results ?? []),
    taskRun.status.results ?? [],
  ];
  return lists.reduce<Subject[]>(
    (acc, results) => appendArtifacts(acc, subjectsFromBuildArtifacts(results)),
    []
  );
}

// SLSA v1.0 subjects: a TaskRun's step and task results; a PipelineRun's results, then (deep inspection) children's.
export function subjectsV1(
  input: RunInput,
  deepInspection: boolean
): Subject[] {
  if (input.run.kind === 'TaskRun') return taskRunSubjectsV1(input.run);
  const own = subjectsFromBuildArtifacts(input.run.status.results ?? []);
  if (!deepInspection) return own;
  return completedChildren(input).reduce(
    (acc, tr) => appendArtifacts(acc, taskRunSubjectsV1(tr)),
    own
  );
}
