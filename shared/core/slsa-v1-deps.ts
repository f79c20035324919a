// SLSA v1.0 buildDefinition.resolvedDependencies, in Chains slsa/v2alpha4 order and with its
// de-duplication. https://slsa.dev/spec/v1.0/provenance#resolvedDependencies
import { canonicalJson } from './go-json.js';
import { pipelineInputMaterials, taskRunInputMaterials } from './materials.js';
import { stepResultInputs, taskRunImages } from './slsa-v1-inputs.js';
import {
  dedupe,
  fromRefSource,
  named,
  triggerEventDependency,
  type ResourceDescriptor,
} from './resource-descriptors.js';
import { taskRunRefMismatch } from './run-facts.js';
import { childTaskRunRefs } from './tekton-child-check.js';
import { pipelineTaskNamed } from './tekton-children.js';

// The label Tekton copies the pipeline task name into; user-writable, so only compared, never trusted.
const PIPELINE_TASK_LABEL = 'tekton.dev/pipelineTask';
import type { BuildOptions, PipelineRun, TaskRun } from './types.js';

const INPUT = 'inputs/result';

// TaskRun: task refSource, images, StepAction inputs, stepAction refs, git/ARTIFACT_INPUTS inputs.
export function taskRunDependencies(
  tr: TaskRun,
  opts: Pick<BuildOptions, 'triggerEvent'>
): ResourceDescriptor[] {
  return dedupe([
    ...fromRefSource('task', tr.status?.provenance?.refSource),
    ...named(undefined, taskRunImages(tr)),
    ...named(INPUT, stepResultInputs(tr.status?.steps)),
    ...stepActionRefs(tr),
    ...named(INPUT, taskRunInputMaterials(tr)),
    ...triggerEventDependency(opts.triggerEvent),
  ]);
}

// PipelineRun: pipeline refSource; per executed child its pipelineTask, stepAction refs and images;
// then inputs (children's StepAction results and own inputs only with deep inspection).
export function pipelineRunDependencies(
  pr: PipelineRun,
  executed: readonly TaskRun[],
  opts: BuildOptions
): ResourceDescriptor[] {
  const deep = opts.deepInspection;
  const inputs = pipelineInputMaterials(pr, executed, deep);
  // `executed` are genuine children: their pipeline task is their childReferences entry's.
  const refs = childTaskRunRefs(pr);
  const taskOf = (tr: TaskRun) => refs.get(tr.metadata.name)?.pipelineTaskName;
  return dedupe([
    ...fromRefSource('pipeline', pr.status?.provenance?.refSource),
    ...executed.flatMap((tr) =>
      childDependencies(tr, opts.buildType, () =>
        disagreement(pr, tr, taskOf(tr))
      )
    ),
    ...(deep
      ? executed.flatMap((tr) =>
          named(INPUT, stepResultInputs(tr.status?.steps))
        )
      : []),
    ...named(INPUT, inputs),
    ...triggerEventDependency(opts.triggerEvent),
  ]);
}

function childDependencies(
  tr: TaskRun,
  buildType: BuildOptions['buildType'],
  marks: () => Pick<ResourceDescriptor, 'annotations'>
): ResourceDescriptor[] {
  const refSource = tr.status?.provenance?.refSource;
  const task: ResourceDescriptor[] =
    buildType === 'slsa-tekton'
      ? [
          {
            ...fromRefSource('pipelineTask', refSource)[0],
            ...tektonContent(tr),
            ...marks(),
          },
        ]
      : fromRefSource('pipelineTask', refSource);
  return [
    ...task,
    ...stepActionRefs(tr),
    ...named(undefined, taskRunImages(tr)),
  ];
}

// slsa-tekton: the whole TaskRun (sorted-key JSON) as base64 content, what Conforma reads.
function tektonContent(tr: TaskRun): ResourceDescriptor {
  return {
    name: 'pipelineTask',
    content: Buffer.from(canonicalJson(tr)).toString('base64'),
  };
}

// Ours, only when the embedded TaskRun's label or ref disagree with the controller's childReferences / the
// pipeline spec: the pipeline task it ran for, and the ref the pipeline declared (the TaskRun shows what ran).
function disagreement(
  pr: PipelineRun,
  tr: TaskRun,
  name: string | undefined
): Pick<ResourceDescriptor, 'annotations'> {
  if (name === undefined) return {};
  const ran = taskRunRefMismatch(pr, name, tr);
  if (!ran && tr.metadata.labels[PIPELINE_TASK_LABEL] === name) return {};
  const declared = pipelineTaskNamed(pr, name);
  return {
    annotations: {
      pipelineTask: name,
      ...(ran && { declaredRef: declared?.taskRef ?? {} }),
    },
  };
}

function stepActionRefs(tr: TaskRun): ResourceDescriptor[] {
  return (tr.status?.steps ?? []).flatMap((s) =>
    fromRefSource(`stepAction/${s.name}`, s.provenance?.refSource)
  );
}
