// What verification reads from a decoded statement, the same shape for SLSA v0.2 and v1.0.
import {
  INTOTO_PAYLOAD_TYPE,
  SLSA_PROVENANCE_V02,
  SLSA_PROVENANCE_V1,
  type Format,
} from '../core/formats.js';
import type { Subject } from '../core/types.js';
import { isObj } from './json.js';
import type { TaskRefInfo } from './task-ref.js';
import { readViewV02 } from './view-v02.js';
import { readViewV1 } from './view-v1.js';

// A material / resolvedDependency (https://slsa.dev/spec/v1.0/provenance#resourcedescriptor).
export interface Material {
  uri: string;
  digest: Record<string, string>;
  entryPoint?: string;
}

export interface TaskView {
  name: string;
  after: string[];
  status?: string;
  startedOn?: string;
  finishedOn?: string;
  // What the TaskRun itself ran (its own taskRef / taskSpec), never a label.
  ref: TaskRefInfo;
  // status.provenance.refSource as recorded (v0.2 invocation.configSource, v1.0 refSource).
  source?: Material;
  // Set when the statement records that the TaskRun ran another ref than the pipeline spec declares.
  declaredRef?: TaskRefInfo;
  // The TaskRun's results by name (what eventBindings `task`/`result` compare).
  results: Record<string, unknown>;
  // The TaskRun's uid, when the statement embeds it (v1.0 slsa-tekton).
  uid?: string;
}

// A child the statement lists but cannot describe as a task (CustomRun, nested PipelineRun, unknown kind).
export interface OtherChild {
  kind: string;
  name: string;
  pipelineTaskName: string;
}

// Our `tektonRun` facts (v0.2 buildConfig.tektonRun, v1.0 internalParameters.tektonRun), as read.
export interface RunFacts {
  name?: string;
  namespace?: string;
  status?: string;
  // The run's own taskRef / pipelineRef; inline when the statement records `{}`.
  ref?: TaskRefInfo;
  otherChildren: OtherChild[];
}

// A recorded link to a signed trigger event (v0.2 material, v1.0 resolvedDependency `triggerEvent`).
export interface EventLink {
  uri: string;
  sha256: string;
  // Single-record mode: the event envelope embedded as the dependency's content.
  embedded?: unknown;
}

export type RunKind = 'PipelineRun' | 'TaskRun';

export interface ProvenanceView {
  format: Format;
  kind: RunKind;
  predicateType: string;
  buildType: string;
  builderId?: string;
  subjects: Subject[];
  invocationId?: string;
  labels: Record<string, string>;
  params: Record<string, unknown>;
  // PipelineRun: the tasks in execution order; undefined when the format does not list them (v1.0 `slsa`).
  tasks?: TaskView[];
  // TaskRun: the task it ran.
  task?: TaskView;
  links: Material[];
  eventLinks: EventLink[];
  startedOn?: string;
  finishedOn?: string;
  // Our tektonRun facts; absent from Chains' statements.
  facts?: RunFacts;
  // The run's own pipelineRef / taskRef (inline for a pipelineSpec / taskSpec), when recorded.
  ref?: TaskRefInfo;
  // The run's refSource (v0.2 invocation.configSource, v1.0 `pipeline`/`task` dependency).
  source?: Material;
}

export type ViewResult =
  | { ok: true; view: ProvenanceView }
  | {
      ok: false;
      code: 'PAYLOAD_TYPE_MISMATCH' | 'TYPE_UNKNOWN';
      message: string;
    };

// Reads an in-toto provenance statement of a type we understand (ours and Chains').
export function readView(payloadType: string, statement: unknown): ViewResult {
  if (payloadType !== INTOTO_PAYLOAD_TYPE) {
    return {
      ok: false,
      code: 'PAYLOAD_TYPE_MISMATCH',
      message: `expected payloadType ${INTOTO_PAYLOAD_TYPE}, got ${JSON.stringify(payloadType)}`,
    };
  }
  if (!isObj(statement) || !isObj(statement.predicate)) {
    return {
      ok: false,
      code: 'TYPE_UNKNOWN',
      message: 'expected an in-toto Statement with a predicate',
    };
  }
  const predicateType = statement.predicateType;
  const view =
    predicateType === SLSA_PROVENANCE_V02
      ? readViewV02(statement, statement.predicate)
      : predicateType === SLSA_PROVENANCE_V1
        ? readViewV1(statement, statement.predicate)
        : `predicateType ${JSON.stringify(predicateType)} is not SLSA provenance v0.2 or v1`;
  if (typeof view === 'string')
    return { ok: false, code: 'TYPE_UNKNOWN', message: view };
  // A TaskRun statement's one task has the run's own status (our tektonRun facts).
  const status = view.facts?.status;
  if (view.task && view.task.status === undefined && status)
    view.task = { ...view.task, status };
  return { ok: true, view };
}
