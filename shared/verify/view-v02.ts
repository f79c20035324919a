// Reads SLSA v0.2 statements: TEP-0084 / Chains PipelineRun (`buildConfig.tasks[]`) and TaskRun.
// Field meanings: https://slsa.dev/spec/v0.2/provenance and reference/chains-formats.md §2.
import {
  BUILD_TYPE_PIPELINERUN_V02,
  BUILD_TYPE_TASKRUN_V02,
} from '../core/formats.js';
import { isObj, objAt, str, stringMap, type Obj } from './json.js';
import type { EventLink, ProvenanceView, RunFacts, RunKind } from './view.js';
import {
  defined,
  readMaterial,
  readMaterials,
  readRunFacts,
  readSubjects,
  readEventLinks,
} from './view-parts.js';
import { readTask, readTaskRunTask } from './view-v02-tasks.js';

// Our TEP-0084 buildTypes and Chains' GVK strings.
const BUILD_TYPES: Readonly<Record<string, RunKind>> = {
  [BUILD_TYPE_PIPELINERUN_V02]: 'PipelineRun',
  'tekton.dev/v1/PipelineRun': 'PipelineRun',
  'tekton.dev/v1beta1/PipelineRun': 'PipelineRun',
  [BUILD_TYPE_TASKRUN_V02]: 'TaskRun',
  'tekton.dev/v1/TaskRun': 'TaskRun',
  'tekton.dev/v1beta1/TaskRun': 'TaskRun',
};

// Materials linking trigger events; single-record mode embeds the envelope in buildConfig.triggerEvent.
function eventLinksV02(predicate: Obj): EventLink[] {
  const links = readEventLinks(predicate.materials);
  const embedded = objAt(objAt(predicate, 'buildConfig'), 'triggerEvent');
  const id = str(embedded.eventId);
  if (!id || !isObj(embedded.envelope)) return links;
  return links.map((l) =>
    l.uri === `events/${id}/event.dsse.json`
      ? { ...l, embedded: embedded.envelope }
      : l
  );
}

// A PipelineRun statement lists its tasks in buildConfig; a TaskRun statement is one task.
function tasksOf(
  kind: RunKind,
  predicate: Obj,
  view: { labels: Record<string, string>; facts: RunFacts | undefined }
): Pick<ProvenanceView, 'tasks' | 'task'> {
  if (kind !== 'PipelineRun')
    return { task: readTaskRunTask(predicate, view.labels, view.facts?.ref) };
  const tasks = objAt(predicate, 'buildConfig').tasks;
  return {
    tasks: (Array.isArray(tasks) ? tasks : []).filter(isObj).map(readTask),
  };
}

// The view of a v0.2 statement, or a message naming the unknown buildType.
export function readViewV02(
  statement: Obj,
  predicate: Obj
): ProvenanceView | string {
  const buildType = str(predicate.buildType) ?? '';
  const kind = BUILD_TYPES[buildType];
  if (!kind)
    return `SLSA v0.2 buildType ${JSON.stringify(buildType)} is not a Tekton PipelineRun or TaskRun type`;
  const invocation = objAt(predicate, 'invocation');
  const labels = stringMap(objAt(invocation, 'environment').labels);
  const meta = objAt(predicate, 'metadata');
  const buildConfig = objAt(predicate, 'buildConfig');
  const facts = readRunFacts(buildConfig.tektonRun, kind === 'PipelineRun');
  return {
    format: 'slsa/v0.2',
    kind,
    predicateType: String(statement.predicateType),
    buildType,
    subjects: readSubjects(statement),
    labels,
    params: isObj(invocation.parameters) ? invocation.parameters : {},
    links: readMaterials(predicate.materials),
    eventLinks: eventLinksV02(predicate),
    ...tasksOf(kind, predicate, { labels, facts }),
    ...defined({
      facts,
      ref: facts?.ref,
      source: readMaterial(invocation.configSource),
      builderId: str(objAt(predicate, 'builder').id),
      invocationId: str(meta.buildInvocationID),
      startedOn: str(meta.buildStartedOn),
      finishedOn: str(meta.buildFinishedOn),
    }),
  };
}
