// SLSA v0.2 `materials` as Chains builds them (slsa/internal/material/material.go): step and sidecar images,
// CHAINS-GIT_URL/CHAINS-GIT_COMMIT, *ARTIFACT_INPUTS, refSources; merged with AppendMaterials.
// Spec: https://slsa.dev/spec/v0.2/provenance#materials
import { appendMaterials, type Material } from './artifact-set.js';
import { materialsFromInputs } from './result-hints.js';
import { completedChildren } from './subjects.js';
import {
  childrenByTask,
  hasCompleted,
  pipelineTasks,
} from './tekton-children.js';
import type {
  Param,
  ParamSpec,
  PipelineRun,
  RefSource,
  RunInput,
  RunResult,
  TaskRun,
} from './types.js';

export type { Material } from './artifact-set.js';

const GIT_URL = 'CHAINS-GIT_URL';
const GIT_COMMIT = 'CHAINS-GIT_COMMIT';

// `[docker-pullable://]repo@alg:hex` → {uri: oci://repo, digest: {alg: hex}}; malformed IDs give undefined.
export function materialFromImageId(imageId: unknown): Material | undefined {
  if (typeof imageId !== 'string') return undefined;
  const parts = imageId.split('@');
  const digest = (parts[1] ?? '').split(':');
  if (parts.length !== 2 || digest.length !== 2) return undefined;
  const repo = (parts[0] ?? '').replace(/^docker-pullable:\/\//, '');
  return { uri: `oci://${repo}`, digest: { [digest[0]!]: digest[1]! } };
}

// One list of step or sidecar images, merged as Chains' FromStepImages/FromSidecarImages.
export function imageMaterials(
  states: readonly { imageID?: unknown }[]
): Material[] {
  return appendMaterials(
    [],
    states.flatMap((s) => materialFromImageId(s.imageID) ?? [])
  );
}

// Chains' SPDXGit: `git+<url>.git` (prefix and suffix added only when missing).
export function spdxGit(url: string): string {
  const prefixed = url.startsWith('git+') ? url : `git+${url}`;
  return prefixed.endsWith('.git') ? prefixed : `${prefixed}.git`;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

// CHAINS-GIT_* values: param defaults < explicit params < results (later sources override earlier ones).
function gitInfo(
  specs: readonly ParamSpec[],
  params: readonly Param[],
  results: readonly RunResult[]
): { url: string; commit: string } {
  const found = { url: '', commit: '' };
  const take = (name: string, value: unknown): void => {
    if (name === GIT_URL) found.url = text(value);
    if (name === GIT_COMMIT) found.commit = text(value);
  };
  specs.forEach((p) => p.default !== undefined && take(p.name, p.default));
  params.forEach((p) => take(p.name, p.value));
  results.forEach((r) => take(r.name, r.value));
  return found;
}

function gitMaterial(git: { url: string; commit: string }): Material[] {
  if (git.commit === '' || git.url === '') return [];
  return [{ uri: spdxGit(git.url), digest: { sha1: git.commit } }];
}

// The git material named by CHAINS-GIT_* results alone (later results override earlier ones).
export function resultGitMaterial(results: readonly RunResult[]): Material[] {
  return gitMaterial(gitInfo([], [], results));
}

// A TaskRun's git material and *ARTIFACT_INPUTS (FromTaskParamsAndResults). Chains' quirk kept: the URL is
// normalised before the emptiness check, so a commit without a URL gives `git+.git`.
export function taskRunInputMaterials(tr: TaskRun): Material[] {
  const results = tr.status.results ?? [];
  const git = gitInfo(
    tr.status.taskSpec?.params ?? [],
    tr.spec.params ?? [],
    results
  );
  const gitMaterials =
    git.commit === ''
      ? []
      : [{ uri: spdxGit(git.url), digest: { sha1: git.commit } }];
  return appendMaterials(gitMaterials, materialsFromInputs(results));
}

// SLSA v0.2 TaskRun materials: step images, sidecar images, git, *ARTIFACT_INPUTS. refSource is not one.
export function taskRunMaterials(tr: TaskRun): Material[] {
  return appendMaterials(
    appendMaterials(
      imageMaterials(tr.status.steps ?? []),
      imageMaterials(tr.status.sidecars ?? [])
    ),
    taskRunInputMaterials(tr)
  );
}

function refSourceMaterial(ref: RefSource | undefined): Material[] {
  return ref ? [{ uri: text(ref.uri), digest: { ...(ref.digest ?? {}) } }] : [];
}

// The PipelineRun's own inputs (FromPipelineParamsAndResults): *ARTIFACT_INPUTS, the children's inputs
// with deep inspection, then one git material from pipelineSpec defaults < spec params < results.
export function pipelineInputMaterials(
  run: PipelineRun,
  children: readonly TaskRun[],
  deep: boolean
): Material[] {
  const results = run.status.results ?? [];
  const specs = run.status.pipelineSpec?.params ?? [];
  const git = gitInfo(specs, run.spec.params ?? [], results);
  return appendMaterials(materialsFromInputs(results), [
    ...(deep ? children.flatMap(taskRunInputMaterials) : []),
    ...gitMaterial(git),
  ]);
}

// SLSA v0.2 PipelineRun materials: pipeline refSource; per completed child (spec order) its step images,
// sidecar images and refSource; then the pipeline's inputs.
export function pipelineRunMaterials(
  input: RunInput,
  deepInspection: boolean
): Material[] {
  const run = input.run;
  if (run.kind !== 'PipelineRun') return taskRunMaterials(run);
  let mats = refSourceMaterial(run.status.provenance?.refSource);
  const byTask = childrenByTask(input);
  for (const { task } of pipelineTasks(run)) {
    for (const tr of (byTask.get(task.name) ?? []).filter(hasCompleted)) {
      mats = appendMaterials(mats, [
        ...imageMaterials(tr.status.steps ?? []),
        ...imageMaterials(tr.status.sidecars ?? []),
        ...refSourceMaterial(tr.status.provenance?.refSource),
      ]);
    }
  }
  return appendMaterials(
    mats,
    pipelineInputMaterials(run, completedChildren(input), deepInspection)
  );
}
