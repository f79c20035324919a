// Inputs that only SLSA v1.0 resolvedDependencies read, on top of materials.ts: images per TaskRun,
// StepAction results (v2alpha4) and the PipelineRun's own inputs (Chains' FromPipelineParamsAndResults).
import { appendMaterials, type Material } from './artifact-set.js';
import {
  materialFromImageId,
  spdxGit,
  taskRunInputMaterials,
} from './materials.js';
import { materialsFromInputs } from './result-hints.js';
import type { PipelineRun, StepState, TaskRun } from './types.js';

const GIT_URL = 'CHAINS-GIT_URL';
const GIT_COMMIT = 'CHAINS-GIT_COMMIT';

// Step images, then sidecar images (each list merged, as Chains' FromStepImages/FromSidecarImages).
export function imageMaterials(tr: TaskRun): Material[] {
  const list = (states: readonly { imageID?: unknown }[] = []) =>
    appendMaterials(
      [],
      states.flatMap((s) => materialFromImageId(s.imageID) ?? [])
    );
  return [...list(tr.status?.steps), ...list(tr.status?.sidecars)];
}

// StepAction results (FromStepActionsResults): per step its *ARTIFACT_INPUTS, then its CHAINS-GIT_* pair.
export function stepResultInputs(steps: readonly StepState[] = []): Material[] {
  let out: Material[] = [];
  for (const step of steps) {
    const results = step.results ?? [];
    out = appendMaterials(out, materialsFromInputs(results));
    out = appendMaterials(out, gitMaterial(git(results)));
  }
  return out;
}

// The PipelineRun's inputs: *ARTIFACT_INPUTS results, then (deep inspection) each child's git and
// *ARTIFACT_INPUTS, then one git input from pipelineSpec defaults < spec.params < results.
export function pipelineInputs(
  pr: PipelineRun,
  executed: readonly TaskRun[],
  deepInspection: boolean
): Material[] {
  const spec = pr.status?.pipelineSpec;
  const defaults = (spec?.params ?? []).flatMap((p) =>
    p.default === undefined ? [] : [{ name: p.name, value: p.default }]
  );
  const values = git([
    ...defaults,
    ...(pr.spec?.params ?? []),
    ...(pr.status?.results ?? []),
  ]);
  const children = deepInspection
    ? executed.flatMap(taskRunInputMaterials)
    : [];
  return appendMaterials(materialsFromInputs(pr.status?.results ?? []), [
    ...children,
    ...gitMaterial(values),
  ]);
}

// Later entries override earlier ones; non-string values count as "".
function git(entries: readonly { name: string; value: unknown }[]) {
  const found = { url: '', commit: '' };
  for (const { name, value } of entries) {
    const text = typeof value === 'string' ? value : '';
    if (name === GIT_URL) found.url = text;
    if (name === GIT_COMMIT) found.commit = text;
  }
  return found;
}

function gitMaterial(found: { url: string; commit: string }): Material[] {
  if (found.url === '' || found.commit === '') return [];
  return [{ uri: spdxGit(found.url), digest: { sha1: found.commit } }];
}
