// One provenance envelope stored under the digest: signature, payload and predicate types, subject.
import { decodePayload } from '../core/dsse.js';
import { RUN_STATUS_PAYLOAD_TYPE, type Format } from '../core/formats.js';
import type { Envelope } from '../core/types.js';
import type { VerificationKey } from './keys.js';
import {
  fail,
  pass,
  type AttestationReport,
  type CheckResult,
} from './report.js';
import { checkSignature } from './signature.js';
import { readView, type ProvenanceView } from './view.js';
import { runStatusNamesDigest, runStatusOf } from './run-status-subject.js';

export interface CheckedAttestation {
  report: AttestationReport;
  checks: CheckResult[];
  // Set only when every check passed: nothing unverified reaches the policy.
  view?: ProvenanceView;
  // The `tekton` format (run status): verified, but it has no statement to read.
  runStatus?: { uid: string; status?: string };
}

const KEY =
  /^sha256\/[0-9a-f]{64}\/(taskrun|pipelinerun)-([A-Za-z0-9-]+)\.(slsa-v0\.2|slsa-v1\.0|tekton)\.dsse\.json$/;

// kind, uid and format from a CONTRACT §4 subject key.
export function parseSubjectKey(key: string): {
  kind: AttestationReport['kind'];
  uid?: string;
  format?: Format;
} {
  const m = KEY.exec(key);
  if (!m) return { kind: 'unknown' };
  const format = (m[3] ?? '').replace('-', '/') as Format;
  return { kind: m[1] as 'taskrun' | 'pipelinerun', uid: m[2] ?? '', format };
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

// The `tekton` format: subject check through the run's results, Succeeded condition for the report.
function checkRunStatus(
  done: CheckedAttestation,
  payload: unknown,
  hex: string,
  uid: string
): CheckedAttestation {
  const { report, checks } = done;
  report.predicateType = RUN_STATUS_PAYLOAD_TYPE;
  if (!runStatusNamesDigest(payload, hex)) {
    const msg = `the run status results do not name sha256:${hex}`;
    checks.push(fail('subject', report.key, 'SUBJECT_MISMATCH', msg));
    return done;
  }
  report.verified = true;
  checks.push(
    pass('subject', report.key, `run status results name sha256:${hex}`)
  );
  return { ...done, runStatus: { uid, ...runStatusOf(payload) } };
}

// An in-toto statement: known predicate and build types, then a subject with the digest.
function checkStatement(
  done: CheckedAttestation,
  payloadType: string,
  payload: unknown,
  hex: string
): CheckedAttestation {
  const { report, checks } = done;
  const read = readView(payloadType, payload);
  if (!read.ok) {
    checks.push(fail('type', report.key, read.code, read.message));
    return done;
  }
  const { view } = read;
  Object.assign(report, {
    format: view.format,
    predicateType: view.predicateType,
    buildType: view.buildType,
  });
  checks.push(
    pass('type', report.key, `${view.predicateType} ${view.buildType}`)
  );
  if (!view.subjects.some((s) => s.digest.sha256 === hex)) {
    const names =
      view.subjects
        .map((s) => `${s.name}@sha256:${s.digest.sha256 ?? '?'}`)
        .join(', ') || 'none';
    const msg = `statement subjects (${names}) do not include sha256:${hex}`;
    checks.push(fail('subject', report.key, 'SUBJECT_MISMATCH', msg));
    return done;
  }
  report.verified = true;
  checks.push(pass('subject', report.key, `subject includes sha256:${hex}`));
  return { ...done, view };
}

// Verifies one envelope for the digest `hex`; the statement is read only after its signature verifies.
export function checkAttestation(
  key: string,
  env: Envelope,
  hex: string,
  keys: readonly VerificationKey[]
): CheckedAttestation {
  const { kind, uid, format } = parseSubjectKey(key);
  const report: AttestationReport = {
    key,
    kind,
    verified: false,
    ...(format && { format }),
  };
  const sig = checkSignature(env, keys);
  if (!sig.ok)
    return { report, checks: [fail('signature', key, sig.code, sig.message)] };
  report.keyid = sig.keyid;
  const done = {
    report,
    checks: [
      pass('signature', key, `verified with ${sig.source} (${sig.keyid})`),
    ],
  };
  const payload = parseJson(decodePayload(env));
  return env.payloadType === RUN_STATUS_PAYLOAD_TYPE
    ? checkRunStatus(done, payload, hex, uid ?? key)
    : checkStatement(done, env.payloadType, payload, hex);
}
