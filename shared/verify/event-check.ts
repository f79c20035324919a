// A trigger-event envelope (TEP-0084 "attested payload"): signed by a given key, of our event predicate,
// its body authenticated, and about exactly the body whose sha256 is expected. Only the signature, the
// subject digest, the body and the signer's authentication claims decide; the event id and the headers
// (X-GitHub-Event…) are not covered by GitHub's HMAC, so they are shown, marked, and never decide.
import { decodePayload } from '../core/dsse.js';
import type { Envelope } from '../core/types.js';
import {
  decodeEventBody,
  isBodyAuthenticated,
  parseTriggerEventStatement,
  sha256Hex,
  type TriggerEventStatement,
} from '../core/trigger-event.js';
import type { VerificationKey } from './keys.js';
import {
  fail,
  pass,
  type CheckCode,
  type CheckResult,
  type EventReport,
} from './report.js';
import { checkSignature } from './signature.js';

export interface CheckedEvent {
  report: EventReport;
  checks: CheckResult[];
  // The body parsed as JSON, when every check passed and it is JSON (for eventBindings).
  body?: unknown;
}

function readStatement(env: Envelope): TriggerEventStatement | string {
  try {
    return parseTriggerEventStatement(decodePayload(env));
  } catch (err) {
    return (err as Error).message;
  }
}

function bodyDigest(s: TriggerEventStatement): {
  hex?: string;
  bytes?: Buffer;
  error?: string;
} {
  try {
    const bytes = decodeEventBody(s.predicate.body);
    return { hex: sha256Hex(bytes), bytes };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

function parseBody(bytes: Buffer | undefined): unknown {
  try {
    return bytes && JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}

function describeEvent(report: EventReport, s: TriggerEventStatement): void {
  const p = s.predicate;
  report.eventId = p.eventId;
  report.authentication = `${p.authentication?.method}: ${p.authentication?.result}`;
  report.receivedAt = p.receivedAt;
  const header = Object.entries(p.headers ?? {}).find(
    ([k]) => k.toLowerCase() === 'x-github-event'
  );
  if (header) report.eventType = header[1];
  report.unauthenticated = header ? ['eventId', 'eventType'] : ['eventId'];
}

// What is wrong with a well-signed event statement, as [code, message] pairs.
function eventProblems(
  s: TriggerEventStatement,
  bodyHex: string | undefined,
  bodyError: string | undefined,
  hex: string
): [CheckCode, string][] {
  const out: [CheckCode, string][] = [];
  const subjectHex = s.subject[0].digest.sha256;
  if (subjectHex !== hex)
    out.push([
      'EVENT_DIGEST_MISMATCH',
      `event subject is sha256:${subjectHex}, expected sha256:${hex}`,
    ]);
  if (bodyHex !== hex)
    out.push([
      'EVENT_DIGEST_MISMATCH',
      bodyError ?? `sha256 of the embedded body is ${bodyHex}, expected ${hex}`,
    ]);
  const result = s.predicate.authentication?.result;
  if (result !== 'verified')
    out.push([
      'EVENT_NOT_AUTHENTICATED',
      `event authentication is ${JSON.stringify(result ?? null)}, expected "verified"`,
    ]);
  else if (!isBodyAuthenticated(s.predicate))
    out.push([
      'EVENT_NOT_AUTHENTICATED',
      `event predicate lists ${JSON.stringify(s.predicate.authenticated ?? null)} as authenticated, expected the body`,
    ]);
  return out;
}

// Checks one event envelope stored at `key` against the digest the caller expects (`hex`).
export function checkEvent(
  check: string,
  key: string,
  env: Envelope,
  hex: string,
  keys: readonly VerificationKey[]
): CheckedEvent {
  const report: EventReport = { key, digest: `sha256:${hex}`, verified: false };
  const sig = checkSignature(env, keys);
  if (!sig.ok)
    return {
      report,
      checks: [
        fail(check, key, 'EVENT_SIGNATURE_INVALID', `event ${sig.message}`),
      ],
    };
  const s = readStatement(env);
  if (typeof s === 'string')
    return { report, checks: [fail(check, key, 'EVENT_INVALID', s)] };
  describeEvent(report, s);
  const body = bodyDigest(s);
  const problems = eventProblems(s, body.hex, body.error, hex);
  if (problems.length > 0)
    return {
      report,
      checks: problems.map(([code, msg]) => fail(check, key, code, msg)),
    };
  report.verified = true;
  const message = `event ${s.predicate.eventId} verified with ${sig.source}, ${s.predicate.authentication.method} authenticated, body sha256:${hex}`;
  return {
    report,
    checks: [pass(check, key, message)],
    body: parseBody(body.bytes),
  };
}
