// SLSA v0.2 provenance in an in-toto v0.1 Statement for a TaskRun or a whole PipelineRun, in Chains'
// `in-toto` layout with TEP-0084's buildTypes. Spec: https://slsa.dev/spec/v0.2/provenance
import { appendMaterials, type Material } from './artifact-set.js';
import {
  BUILD_TYPE_PIPELINERUN_V02,
  BUILD_TYPE_TASKRUN_V02,
  INTOTO_STATEMENT_V01,
  SLSA_PROVENANCE_V02,
} from './formats.js';
import { pipelineRunMaterials, taskRunMaterials } from './materials.js';
import { invocation, metadata, stepAttestation } from './slsa-v02-common.js';
import { pipelineTaskEntries } from './slsa-v02-pipeline.js';
import { tektonRunFacts } from './run-facts.js';
import { subjectsV02 } from './subjects.js';
import type {
  BuildOptions,
  RunInput,
  TaskRun,
  TriggerEventLink,
} from './types.js';

// TaskRun buildConfig.steps: one per status step, with the taskSpec step of the same name (or none).
function taskRunBuildConfig(tr: TaskRun): Record<string, unknown> {
  const specSteps = tr.status.taskSpec?.steps ?? [];
  const steps = (tr.status.steps ?? []).map((state) =>
    stepAttestation(specSteps.find((s) => s.name === state.name) ?? {}, state)
  );
  return { steps };
}

// The trigger event as a material: uri = the event envelope's store key, digest = sha256 of the payload.
function triggerMaterial(link: TriggerEventLink): Material {
  return { uri: link.uri, digest: { sha256: link.payloadSha256 } };
}

// Single-record mode: buildConfig.triggerEvent = {eventId, envelope} (the signed event, embedded as stored).
function withTriggerEvent(
  buildConfig: Record<string, unknown>,
  link: TriggerEventLink | undefined
): Record<string, unknown> {
  if (!link?.envelope) return buildConfig;
  return {
    ...buildConfig,
    triggerEvent: { eventId: link.eventId, envelope: link.envelope },
  };
}

// The in-toto v0.1 statement (a plain object) for a TaskRun or PipelineRun.
export function buildSlsaV02(input: RunInput, opts: BuildOptions): object {
  const run = input.run;
  const isPipeline = run.kind === 'PipelineRun';
  const specs = isPipeline
    ? run.status.pipelineSpec?.params
    : run.status.taskSpec?.params;
  // tektonRun is ours (not Chains'): what verify judges the run itself by.
  const buildConfig = {
    ...(isPipeline
      ? { tasks: pipelineTaskEntries(input, run) }
      : taskRunBuildConfig(run)),
    tektonRun: tektonRunFacts(run),
  };
  let materials = isPipeline
    ? pipelineRunMaterials(input, opts.deepInspection)
    : taskRunMaterials(run);
  if (opts.triggerEvent) {
    materials = appendMaterials(materials, [
      triggerMaterial(opts.triggerEvent),
    ]);
  }
  const predicate: Record<string, unknown> = {
    builder: { id: opts.builderId },
    buildType: isPipeline ? BUILD_TYPE_PIPELINERUN_V02 : BUILD_TYPE_TASKRUN_V02,
    invocation: invocation(run, run.spec.params ?? [], specs ?? []),
    buildConfig: withTriggerEvent(buildConfig, opts.triggerEvent),
    metadata: metadata(run),
  };
  if (materials.length > 0) predicate['materials'] = materials;
  const subjects = subjectsV02(input, opts.deepInspection);
  return {
    _type: INTOTO_STATEMENT_V01,
    predicateType: SLSA_PROVENANCE_V02,
    ...(subjects.length > 0 ? { subject: subjects } : {}),
    predicate,
  };
}
