// Inputs that only SLSA v1.0 resolvedDependencies read, on top of materials.ts: images per TaskRun
// and StepAction results (v2alpha4). The PipelineRun's own inputs are materials.ts' pipelineInputMaterials.
import { appendMaterials, type Material } from './artifact-set.js';
import { imageMaterials, resultGitMaterial } from './materials.js';
import { materialsFromInputs } from './result-hints.js';
import type { StepState, TaskRun } from './types.js';

// Step images, then sidecar images (each list merged, as Chains' FromStepImages/FromSidecarImages).
export function taskRunImages(tr: TaskRun): Material[] {
  return [
    ...imageMaterials(tr.status?.steps ?? []),
    ...imageMaterials(tr.status?.sidecars ?? []),
  ];
}

// StepAction results (FromStepActionsResults): per step its *ARTIFACT_INPUTS, then its CHAINS-GIT_* pair.
export function stepResultInputs(steps: readonly StepState[] = []): Material[] {
  let out: Material[] = [];
  for (const step of steps) {
    const results = step.results ?? [];
    out = appendMaterials(out, materialsFromInputs(results));
    out = appendMaterials(out, resultGitMaterial(results));
  }
  return out;
}
