// The one internal model: Tekton v1 TaskRuns and PipelineRuns (v1beta1 input is normalised into it).
// Unknown fields are kept as they came, so a whole run can be embedded (slsa-tekton) or signed (tekton).
import type { IgnoredTaskRun } from './tekton-child-check.js';

export type ParamValue = string | string[] | { [key: string]: string };

export interface Param {
  name: string;
  value: ParamValue;
}

export interface ParamSpec {
  name: string;
  type?: string;
  default?: ParamValue;
  [key: string]: unknown;
}

export interface RunResult {
  name: string;
  type?: string;
  value: ParamValue;
}

// status.provenance.refSource: where the Task/Pipeline definition came from.
export interface RefSource {
  uri?: string;
  digest?: Record<string, string>;
  entryPoint?: string;
}

export interface Provenance {
  refSource?: RefSource;
  featureFlags?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export interface ObjectMeta {
  name: string;
  namespace: string;
  uid: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  [key: string]: unknown;
}

export interface Step {
  name?: string;
  image?: string;
  script?: string;
  command?: string[];
  args?: string[];
  [key: string]: unknown;
}

export interface TaskSpec {
  params?: ParamSpec[];
  steps?: Step[];
  sidecars?: Step[];
  [key: string]: unknown;
}

export interface StepState {
  name: string;
  container?: string;
  imageID?: string;
  results?: RunResult[];
  provenance?: Provenance;
  terminated?: {
    exitCode?: number;
    startedAt?: string;
    finishedAt?: string;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export interface SidecarState {
  name?: string;
  container?: string;
  imageID?: string;
  [key: string]: unknown;
}

// taskRef / pipelineRef: by name (cluster), legacy bundle, or resolver + params.
export interface Ref {
  name?: string;
  kind?: string;
  apiVersion?: string;
  bundle?: string;
  resolver?: string;
  params?: Param[];
  [key: string]: unknown;
}

export interface TaskRunSpec {
  params?: Param[];
  taskRef?: Ref;
  taskSpec?: TaskSpec;
  serviceAccountName?: string;
  [key: string]: unknown;
}

export interface TaskRunStatus {
  conditions?: Condition[];
  startTime?: string;
  completionTime?: string;
  taskSpec?: TaskSpec;
  steps?: StepState[];
  sidecars?: SidecarState[];
  results?: RunResult[];
  provenance?: Provenance;
  [key: string]: unknown;
}

export interface TaskRun {
  apiVersion: 'tekton.dev/v1';
  kind: 'TaskRun';
  metadata: ObjectMeta;
  spec: TaskRunSpec;
  status: TaskRunStatus;
}

export interface WhenExpression {
  input?: string;
  operator?: string;
  values?: string[];
  cel?: string;
}

export interface PipelineTask {
  name: string;
  taskRef?: Ref;
  taskSpec?: TaskSpec;
  runAfter?: string[];
  params?: Param[];
  when?: WhenExpression[];
  matrix?: { params?: Param[]; include?: { params?: Param[] }[] };
  [key: string]: unknown;
}

export interface PipelineSpec {
  params?: ParamSpec[];
  tasks?: PipelineTask[];
  finally?: PipelineTask[];
  [key: string]: unknown;
}

export interface ChildReference {
  apiVersion?: string;
  kind: string;
  name: string;
  displayName?: string;
  pipelineTaskName: string;
  [key: string]: unknown;
}

export interface PipelineRunSpec {
  params?: Param[];
  pipelineRef?: Ref;
  pipelineSpec?: PipelineSpec;
  taskRunTemplate?: { serviceAccountName?: string; [key: string]: unknown };
  [key: string]: unknown;
}

export interface PipelineRunStatus {
  conditions?: Condition[];
  startTime?: string;
  completionTime?: string;
  finallyStartTime?: string;
  pipelineSpec?: PipelineSpec;
  results?: RunResult[];
  childReferences?: ChildReference[];
  skippedTasks?: { name: string; reason?: string; [key: string]: unknown }[];
  provenance?: Provenance;
  [key: string]: unknown;
}

export interface PipelineRun {
  apiVersion: 'tekton.dev/v1';
  kind: 'PipelineRun';
  metadata: ObjectMeta;
  spec: PipelineRunSpec;
  status: PipelineRunStatus;
}

export type TektonRun = TaskRun | PipelineRun;

// What a statement is built from: the run and, for a PipelineRun, its child TaskRuns.
export interface RunInput {
  run: TektonRun;
  taskRuns: TaskRun[];
  // TaskRuns offered as children that are not (makeRunInput); never in a statement, logged by adapters.
  ignored?: IgnoredTaskRun[];
}

// in-toto ResourceDescriptor subset used for subjects.
export interface Subject {
  name: string;
  digest: Record<string, string>;
}

// A signed trigger event that a PipelineRun links to (TEP-0084 "attested payload").
export interface TriggerEventLink {
  eventId: string;
  // sha256 hex of the exact webhook body bytes.
  payloadSha256: string;
  // Store key of the event envelope, recorded as the link's URI.
  uri: string;
  // Single-record mode: the signed event envelope embedded in the PipelineRun attestation.
  envelope?: Envelope;
}

// Statement options: plain values only (no clock, no environment).
export interface BuildOptions {
  builderId: string;
  buildType: 'slsa' | 'slsa-tekton';
  deepInspection: boolean;
  triggerEvent?: TriggerEventLink;
}

// DSSE envelope as stored (payload and sig in standard base64).
export interface Envelope {
  payloadType: string;
  payload: string;
  signatures: { keyid: string; sig: string }[];
}
