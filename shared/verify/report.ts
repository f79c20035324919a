// The verification report: one document for the text, JSON (--json) and graph (--graph) renderings.
// Stable: fields are only ever added; a breaking change bumps REPORT_SCHEMA_VERSION.
import type { Format } from '../core/formats.js';

export const REPORT_SCHEMA_VERSION = 1;

// Named reasons a check fails; docs/verify.md lists each.
export const CHECK_CODES = [
  'ATTESTATION_MISSING',
  'ENVELOPE_MALFORMED',
  'SIGNATURE_INVALID',
  'KEY_UNTRUSTED',
  'PAYLOAD_TYPE_MISMATCH',
  'TYPE_UNKNOWN',
  'SUBJECT_MISMATCH',
  'PROVENANCE_MISSING',
  'TASKS_NOT_LISTED',
  'TASK_UNTRUSTED',
  'EVENT_MISSING',
  'EVENT_SIGNATURE_INVALID',
  'EVENT_INVALID',
  'EVENT_NOT_AUTHENTICATED',
  'EVENT_DIGEST_MISMATCH',
  'EVENT_BINDING_MISMATCH',
  'FORMAT_MISSING',
  'BUILDER_NOT_ALLOWED',
  'TOO_OLD',
  'PIPELINE_UNTRUSTED',
  'PIPELINERUN_MISSING',
  'NOT_SUCCEEDED',
  'CHILD_UNJUDGED',
  'TASK_REF_MISMATCH',
  'FORMATS_DISAGREE',
  'VSA_INVALID',
  'VSA_FAILED',
] as const;
export type CheckCode = (typeof CHECK_CODES)[number];

export interface CheckResult {
  // signature, subject, type, trusted-task, trigger-event, event-binding, formats, builder, max-age…
  check: string;
  // What was checked: a store key, a task, a run.
  target: string;
  passed: boolean;
  // Set when the check failed.
  code?: CheckCode;
  message: string;
}

export interface AttestationReport {
  key: string;
  kind: 'pipelinerun' | 'taskrun' | 'event' | 'unknown';
  format?: Format;
  predicateType?: string;
  buildType?: string;
  // keyid of the given key that verified the signature.
  keyid?: string;
  verified: boolean;
  // Set when the attestation's run is outside allowedNamespaces: it decides nothing.
  ignored?: string;
}

export interface EventReport {
  key?: string;
  eventId?: string;
  digest: string;
  verified: boolean;
  authentication?: string;
  eventType?: string;
  receivedAt?: string;
  // Which of the fields above came from data no signature or HMAC covers (the event id, the
  // X-GitHub-Event header): shown, never used for a decision.
  unauthenticated?: ('eventId' | 'eventType')[];
}

export interface TaskReport {
  name: string;
  after: string[];
  status?: string;
  ref: string;
  refType: 'bundle' | 'git' | 'cluster' | 'inline' | 'other';
  // The pipeline spec's ref, when the TaskRun ran another one.
  declaredRef?: string;
  source?: string;
  startedOn?: string;
  finishedOn?: string;
  trusted?: boolean;
  reason?: string;
}

export interface RunReport {
  kind: 'PipelineRun' | 'TaskRun';
  uid: string;
  name?: string;
  namespace?: string;
  // The run's own pipelineRef / taskRef, as recorded.
  ref?: string;
  // Set when the run does not decide the result (allowedNamespaces), with the reason.
  ignored?: string;
  // A TaskRun attestation judged as part of this PipelineRun (uid).
  partOf?: string;
  // From a verified `tekton` (run status) attestation, when there is one.
  status?: string;
  formats: Format[];
  builderId?: string;
  startedOn?: string;
  finishedOn?: string;
  params: Record<string, unknown>;
  event?: EventReport;
  tasks: TaskReport[];
}

// The verification summary (VSA) written (--vsa-signer) or relied on (--vsa).
export interface VsaReport {
  key?: string;
  result?: 'PASSED' | 'FAILED' | 'PENDING';
  policyDigest: string;
  policyUri?: string;
  verifierId?: string;
  timeVerified?: string;
  // --vsa-signer: false when a summary for this policy was already stored (it is not replaced).
  created?: boolean;
}

export interface VerifyReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  digest: string;
  subjectNames: string[];
  passed: boolean;
  verifiedAt: string;
  attestations: AttestationReport[];
  runs: RunReport[];
  events: EventReport[];
  checks: CheckResult[];
  vsa?: VsaReport;
}

// A passed check.
export function pass(
  check: string,
  target: string,
  message: string
): CheckResult {
  return { check, target, passed: true, message };
}

// A failed check with its named reason.
export function fail(
  check: string,
  target: string,
  code: CheckCode,
  message: string
): CheckResult {
  return { check, target, passed: false, code, message };
}

// "CODE target: message" lines for stderr, one per failed check.
export function failureLines(report: VerifyReport): string[] {
  return report.checks
    .filter((c) => !c.passed)
    .map((c) => `${c.code ?? 'FAILED'} ${c.target}: ${c.message}`);
}
