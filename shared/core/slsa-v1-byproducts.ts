// SLSA v1.0 runDetails.byproducts as Chains slsa/v2alpha4 names them: the results that are not
// subjects. https://slsa.dev/spec/v1.0/provenance#rundetails
import { goJsonMarshal } from './go-json.js';
import type { PipelineRun, RunResult, TaskRun } from './types.js';

export interface Byproduct {
  name: string;
  content: string;
  mediaType: 'application/json';
}

// Results left out of byproducts: image hints, IMAGES, and *ARTIFACT_OUTPUTS that are build
// artifacts (valid or not) or not objects at all.
export function isSubjectResult(result: RunResult): boolean {
  const name = result.name;
  if (name.endsWith('IMAGE_URL') || name.endsWith('IMAGE_DIGEST')) return true;
  if (name === 'IMAGES') return true;
  if (!name.endsWith('ARTIFACT_OUTPUTS')) return false;
  const value = result.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return true;
  }
  return value['isBuildArtifact'] === 'true';
}

// One byproduct per remaining result, content = base64 of Go's JSON of the value.
export function resultByproducts(
  prefix: string,
  results: readonly RunResult[] | undefined
): Byproduct[] {
  return (results ?? [])
    .filter((r) => !isSubjectResult(r))
    .map((r) => ({
      name: `${prefix}/${r.name}`,
      content: Buffer.from(goJsonMarshal(r.value)).toString('base64'),
      mediaType: 'application/json',
    }));
}

// TaskRun: taskRunResults/<name>/<result>, then stepResults/<name>/<result> step by step.
export function taskRunByproducts(tr: TaskRun): Byproduct[] {
  const name = tr.metadata?.name ?? '';
  const steps = tr.status?.steps ?? [];
  return [
    ...resultByproducts(`taskRunResults/${name}`, tr.status?.results),
    ...steps.flatMap((s) => resultByproducts(`stepResults/${name}`, s.results)),
  ];
}

// PipelineRun: pipelineRunResults/<name>/<result>; with deep inspection each executed child's too.
export function pipelineRunByproducts(
  pr: PipelineRun,
  executed: readonly TaskRun[],
  deepInspection: boolean
): Byproduct[] {
  const own = resultByproducts(
    `pipelineRunResults/${pr.metadata?.name ?? ''}`,
    pr.status?.results
  );
  if (!deepInspection) return own;
  return [...own, ...executed.flatMap(taskRunByproducts)];
}
