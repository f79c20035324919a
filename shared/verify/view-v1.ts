// Reads SLSA v1.0 statements (Chains v2alpha3/4 and ours): tasks come from `slsa-tekton` pipelineTask contents.
// Field meanings: https://slsa.dev/spec/v1.0/provenance and reference/chains-formats.md §3.
import {
  BUILD_TYPE_SLSA_TEKTON_V1,
  BUILD_TYPE_SLSA_V1,
} from '../core/formats.js';
import { isObj, objAt, str, stringMap, type Obj } from './json.js';
import type { ProvenanceView } from './view.js';
import {
  defined,
  paramMap,
  readMaterial,
  readRunFacts,
  readMaterials,
  readSubjects,
  readEventLinks,
} from './view-parts.js';
import { classifyRef } from './task-ref.js';
import { tasksOf } from './view-v1-tasks.js';

// The view of a v1.0 statement, or a message naming the unknown buildType.
export function readViewV1(
  statement: Obj,
  predicate: Obj
): ProvenanceView | string {
  const def = objAt(predicate, 'buildDefinition');
  const buildType = str(def.buildType) ?? '';
  if (
    buildType !== BUILD_TYPE_SLSA_V1 &&
    buildType !== BUILD_TYPE_SLSA_TEKTON_V1
  )
    return `SLSA v1 buildType ${JSON.stringify(buildType)} is not a Tekton Chains type`;
  const runSpec = objAt(def.externalParameters, 'runSpec');
  const isPipeline =
    runSpec.pipelineRef !== undefined || runSpec.pipelineSpec !== undefined;
  const deps = Array.isArray(def.resolvedDependencies)
    ? def.resolvedDependencies.filter(isObj)
    : [];
  const details = objAt(predicate, 'runDetails');
  const meta = objAt(details, 'metadata');
  const internal = objAt(def, 'internalParameters');
  const labels = stringMap(internal.labels);
  const own = isPipeline ? runSpec.pipelineRef : runSpec.taskRef;
  const inline =
    (isPipeline ? runSpec.pipelineSpec : runSpec.taskSpec) !== undefined;
  return {
    format: 'slsa/v1.0',
    kind: isPipeline ? 'PipelineRun' : 'TaskRun',
    predicateType: String(statement.predicateType),
    buildType,
    subjects: readSubjects(statement),
    labels,
    params: paramMap(runSpec.params),
    links: readMaterials(deps),
    eventLinks: readEventLinks(deps),
    ...tasksOf(isPipeline, buildType, runSpec, deps, labels),
    ...defined({
      facts: readRunFacts(internal.tektonRun, isPipeline),
      ref:
        own === undefined && inline
          ? { type: 'inline' as const }
          : own === undefined
            ? undefined
            : classifyRef(own, isPipeline ? 'Pipeline' : 'Task'),
      source: readMaterial(
        deps.find((d) => d.name === (isPipeline ? 'pipeline' : 'task'))
      ),
      builderId: str(objAt(details, 'builder').id),
      invocationId: str(meta.invocationId),
      startedOn: str(meta.startedOn),
      finishedOn: str(meta.finishedOn),
    }),
  };
}
