// Reads SLSA v0.2 statements: TEP-0084 / Chains PipelineRun (`buildConfig.tasks[]`) and TaskRun.
// Field meanings: https://slsa.dev/spec/v0.2/provenance and reference/chains-formats.md §2.
import {
  BUILD_TYPE_PIPELINERUN_V02,
  BUILD_TYPE_TASKRUN_V02,
} from '../core/formats.js';
import { isObj, objAt, str, stringMap, type Obj } from './json.js';
import { classifyRef, type TaskRefInfo } from './task-ref.js';
import type {
  EventLink,
  Material,
  ProvenanceView,
  RunKind,
  TaskView,
} from './view.js';
import {
  defined,
  readMaterial,
  readMaterials,
  readSubjects,
  readEventLinks,
} from './view-parts.js';

// Our TEP-0084 buildTypes and Chains' GVK strings.
const BUILD_TYPES: Readonly<Record<string, RunKind>> = {
  [BUILD_TYPE_PIPELINERUN_V02]: 'PipelineRun',
  'tekton.dev/v1/PipelineRun': 'PipelineRun',
  'tekton.dev/v1beta1/PipelineRun': 'PipelineRun',
  [BUILD_TYPE_TASKRUN_V02]: 'TaskRun',
  'tekton.dev/v1/TaskRun': 'TaskRun',
  'tekton.dev/v1beta1/TaskRun': 'TaskRun',
};

// One buildConfig.tasks[] entry; `ref` is the PipelineTask taskRef ({} when inline).
function readTask(t: Obj, index: number): TaskView {
  const invocation = objAt(t, 'invocation');
  const source = readMaterial(invocation.configSource);
  return {
    name: str(t.name) ?? `task-${index}`,
    after: Array.isArray(t.after)
      ? t.after.filter((a) => typeof a === 'string')
      : [],
    ref: classifyRef(t.ref),
    ...defined({
      status: str(t.status),
      startedOn: str(t.startedOn),
      finishedOn: str(t.finishedOn),
      source,
    }),
  };
}

// A v0.2 TaskRun statement has no `ref`: the refSource (configSource) or the tekton.dev/task label says what ran.
function refFromSource(
  source: Material | undefined,
  labels: Record<string, string>
): TaskRefInfo {
  const entryPoint = source?.entryPoint;
  if (source?.uri.startsWith('git+')) {
    return {
      type: 'git',
      url: source.uri,
      ...defined({ path: entryPoint, revision: source.digest.sha1 }),
    };
  }
  if (source && source.digest.sha256 && /^[^/]+\.[^/]+\//.test(source.uri)) {
    return classifyRef({
      bundle: `${source.uri}@sha256:${source.digest.sha256}`,
    });
  }
  const task = labels['tekton.dev/clusterTask'] ?? labels['tekton.dev/task'];
  if (!source && task)
    return {
      type: 'cluster',
      name: task,
      kind: labels['tekton.dev/clusterTask'] ? 'ClusterTask' : 'Task',
    };
  return source ? { type: 'other', resolver: source.uri } : { type: 'inline' };
}

function readTaskRunTask(
  predicate: Obj,
  labels: Record<string, string>
): TaskView {
  const source = readMaterial(objAt(predicate, 'invocation').configSource);
  const meta = objAt(predicate, 'metadata');
  return {
    name:
      labels['tekton.dev/pipelineTask'] ??
      labels['tekton.dev/task'] ??
      'taskrun',
    after: [],
    ref: refFromSource(source, labels),
    ...defined({
      startedOn: str(meta.buildStartedOn),
      finishedOn: str(meta.buildFinishedOn),
      source,
    }),
  };
}

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
  const tasks = objAt(predicate, 'buildConfig').tasks;
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
    ...(kind === 'PipelineRun'
      ? {
          tasks: (Array.isArray(tasks) ? tasks : [])
            .filter(isObj)
            .map(readTask),
        }
      : { task: readTaskRunTask(predicate, labels) }),
    ...defined({
      builderId: str(objAt(predicate, 'builder').id),
      invocationId: str(meta.buildInvocationID),
      startedOn: str(meta.buildStartedOn),
      finishedOn: str(meta.buildFinishedOn),
    }),
  };
}
