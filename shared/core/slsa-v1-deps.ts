// SLSA v1.0 buildDefinition.resolvedDependencies, in Chains slsa/v2alpha4 order and with its
// de-duplication. https://slsa.dev/spec/v1.0/provenance#resolvedDependencies
import { DSSE_CONTENT_TYPE } from './formats.js';
import { canonicalJson } from './go-json.js';
import { taskRunInputMaterials, type Material } from './materials.js';
import {
  imageMaterials,
  pipelineInputs,
  stepResultInputs,
} from './slsa-v1-inputs.js';
import type {
  BuildOptions,
  PipelineRun,
  RefSource,
  TaskRun,
  TriggerEventLink,
} from './types.js';

// in-toto ResourceDescriptor (https://github.com/in-toto/attestation/blob/main/spec/v1/resource_descriptor.md).
export interface ResourceDescriptor {
  name?: string;
  uri?: string;
  digest?: Record<string, string>;
  content?: string;
  mediaType?: string;
}

const INPUT = 'inputs/result';
// Names Chains keeps even when an identical uri+digest(+content) was seen before.
const ALWAYS_KEPT = (name = '') =>
  name === 'task' || name === 'pipeline' || name.startsWith('stepAction/');

// TaskRun: task refSource, images, StepAction inputs, stepAction refs, git/ARTIFACT_INPUTS inputs.
export function taskRunDependencies(
  tr: TaskRun,
  opts: Pick<BuildOptions, 'triggerEvent'>
): ResourceDescriptor[] {
  return dedupe([
    ...fromRefSource('task', tr.status?.provenance?.refSource),
    ...named(undefined, imageMaterials(tr)),
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
  const inputs = pipelineInputs(pr, executed, deep);
  return dedupe([
    ...fromRefSource('pipeline', pr.status?.provenance?.refSource),
    ...executed.flatMap((tr) => childDependencies(tr, opts.buildType)),
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
  buildType: BuildOptions['buildType']
): ResourceDescriptor[] {
  const refSource = tr.status?.provenance?.refSource;
  const task: ResourceDescriptor[] =
    buildType === 'slsa-tekton'
      ? [
          {
            ...fromRefSource('pipelineTask', refSource)[0],
            ...tektonContent(tr),
          },
        ]
      : fromRefSource('pipelineTask', refSource);
  return [
    ...task,
    ...stepActionRefs(tr),
    ...named(undefined, imageMaterials(tr)),
  ];
}

// slsa-tekton: the whole TaskRun (sorted-key JSON) as base64 content, what Conforma reads.
function tektonContent(tr: TaskRun): ResourceDescriptor {
  return {
    name: 'pipelineTask',
    content: Buffer.from(canonicalJson(tr)).toString('base64'),
  };
}

function stepActionRefs(tr: TaskRun): ResourceDescriptor[] {
  return (tr.status?.steps ?? []).flatMap((s) =>
    fromRefSource(`stepAction/${s.name}`, s.provenance?.refSource)
  );
}

function fromRefSource(
  name: string,
  refSource: RefSource | undefined
): ResourceDescriptor[] {
  if (!refSource) return [];
  const rd: ResourceDescriptor = { name };
  if (refSource.uri) rd.uri = refSource.uri;
  if (refSource.digest && Object.keys(refSource.digest).length > 0) {
    rd.digest = { ...refSource.digest };
  }
  return [rd];
}

function named(
  name: string | undefined,
  mats: Material[]
): ResourceDescriptor[] {
  return mats.map((m) => (name ? { name, ...m } : { ...m }));
}

// The signed trigger event this run links to (single-record mode embeds the envelope).
export function triggerEventDependency(
  link: TriggerEventLink | undefined
): ResourceDescriptor[] {
  if (!link) return [];
  const rd: ResourceDescriptor = {
    name: 'triggerEvent',
    uri: link.uri,
    digest: { sha256: link.payloadSha256 },
  };
  if (link.envelope) {
    rd.content = Buffer.from(JSON.stringify(link.envelope)).toString('base64');
    rd.mediaType = DSSE_CONTENT_TYPE;
  }
  return [rd];
}

// Chains' RemoveDuplicateResolvedDependencies: first occurrence of uri+digest+content wins.
export function dedupe(deps: ResourceDescriptor[]): ResourceDescriptor[] {
  const seen = new Set<string>();
  return deps.filter((rd) => {
    const key = canonicalJson({ c: rd.content, d: rd.digest, u: rd.uri });
    const duplicate = seen.has(key) && !ALWAYS_KEPT(rd.name);
    seen.add(key);
    return !duplicate;
  });
}
