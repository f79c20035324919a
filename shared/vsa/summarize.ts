// verify, then sign the result as a VSA and store it create-only under sha256/<hex>/vsa-<policy>: one
// summary per (digest, policy digest); a second verification under the same policy changes nothing.
import { createHash } from 'node:crypto';
import {
  makeEnvelope,
  preAuthEncoding,
  publicKeyEntry,
  serializeEnvelope,
} from '../core/dsse.js';
import { INTOTO_PAYLOAD_TYPE } from '../core/formats.js';
import { vsaKey } from '../core/layout.js';
import type { Signer } from '../signers/signer.js';
import { serialized, type AttestationStore } from '../stores/store.js';
import type { VerificationKey } from '../verify/keys.js';
import type { CheckCode, VerifyReport } from '../verify/report.js';
import { verifyDigest, type VerifyDeps } from '../verify/verify-digest.js';
import { readVsa } from './vsa-read.js';
import {
  vsaStatement,
  type DigestedUri,
  type VsaResult,
} from './vsa-statement.js';

export const VERIFIER_VERSION = '0.1.0';
export const DEFAULT_VERIFIED_LEVELS = ['SLSA_BUILD_LEVEL_2'] as const;

// Failures that only say "not stored yet": the summary waits instead of recording FAILED for good.
const PENDING_CODES: ReadonlySet<CheckCode> = new Set([
  'ATTESTATION_MISSING',
  'PROVENANCE_MISSING',
  'PIPELINERUN_MISSING',
]);

export interface SummaryDeps extends VerifyDeps {
  signer: Signer;
  // Where the policy lives and the sha256 of its exact bytes.
  policySource: DigestedUri;
  verifierId: string;
}

export interface SummaryOutcome {
  report: VerifyReport;
  // PENDING: provenance is missing, so no summary was written.
  result: VsaResult | 'PENDING';
  key?: string;
  // False when a summary for this policy was already stored; `stored` is then its result.
  created?: boolean;
  stored?: VsaResult;
}

// True when the report failed only because provenance is not (yet) in the store.
export function isPending(report: VerifyReport): boolean {
  const failed = report.checks.filter((c) => !c.passed);
  return (
    !report.passed &&
    failed.length > 0 &&
    failed.every((c) => c.code !== undefined && PENDING_CODES.has(c.code))
  );
}

// A stored object's URI: gs://bucket/prefix/key, or file:///dir/key.
export function objectUri(store: AttestationStore, key: string): string {
  const base = store.location.replace(/\/+$/, '');
  return base.startsWith('gs://') ? `${base}/${key}` : `file://${base}/${key}`;
}

// Every attestation and linked event the verdict rests on, with the sha256 of its stored bytes.
async function inputsOf(
  report: VerifyReport,
  store: AttestationStore
): Promise<DigestedUri[]> {
  const keys = new Set([
    ...report.attestations
      .filter((a) => a.verified && a.ignored === undefined)
      .map((a) => a.key),
    ...report.runs
      .filter((r) => r.ignored === undefined && r.event?.verified)
      .flatMap((r) => (r.event?.key ? [r.event.key] : [])),
  ]);
  const read = await Promise.all(
    [...keys].map(async (key) => ({ key, env: await store.get(key) }))
  );
  return read.flatMap(({ key, env }) =>
    env
      ? [
          {
            uri: objectUri(store, key),
            sha256: createHash('sha256')
              .update(serializeEnvelope(env))
              .digest('hex'),
          },
        ]
      : []
  );
}

// Verifies sha256:<hex> and stores its VSA (unless provenance is missing); idempotent per policy digest.
export async function summarizeDigest(
  hex: string,
  deps: SummaryDeps
): Promise<SummaryOutcome> {
  const report = await verifyDigest(hex, deps);
  if (isPending(report)) return { report, result: 'PENDING' };
  const result: VsaResult = report.passed ? 'PASSED' : 'FAILED';
  const key = vsaKey(hex, deps.policySource.sha256);
  const statement = vsaStatement({
    hex,
    ...(report.subjectNames[0] !== undefined && {
      name: report.subjectNames[0],
    }),
    verifierId: deps.verifierId,
    verifierVersion: VERIFIER_VERSION,
    timeVerified: deps.now,
    policy: deps.policySource,
    inputs: await inputsOf(report, deps.store),
    result,
    levels: deps.policy.verifiedLevels ?? DEFAULT_VERIFIED_LEVELS,
  });
  const trusted = [
    { ...publicKeyEntry(deps.signer.publicKeyPem), source: 'the VSA signer' },
  ];
  // A redelivery finds the summary already stored: no signature is asked for (one KMS call saved).
  const before = await readVsa(
    deps.store,
    hex,
    deps.policySource.sha256,
    trusted
  );
  const existing =
    before.state === 'absent'
      ? await writeVsa(hex, statement, deps, trusted)
      : before;
  if (existing === 'created')
    return { report, result, key, created: true, stored: result };
  return {
    report,
    result,
    key,
    created: false,
    ...(existing.state === 'valid' && { stored: existing.result }),
  };
}

// Signs and stores the summary create-only; a concurrent writer's summary is read back instead.
async function writeVsa(
  hex: string,
  statement: Record<string, unknown>,
  deps: SummaryDeps,
  trusted: VerificationKey[]
) {
  const body = Buffer.from(JSON.stringify(statement));
  const sig = await deps.signer.sign(
    preAuthEncoding(INTOTO_PAYLOAD_TYPE, body)
  );
  const env = makeEnvelope(INTOTO_PAYLOAD_TYPE, body, deps.signer.keyId, sig);
  const put = await deps.store.put(
    vsaKey(hex, deps.policySource.sha256),
    serialized(env),
    {
      kind: 'vsa',
      predicateType: String(statement.predicateType),
    }
  );
  if (put === 'created') return 'created' as const;
  return readVsa(deps.store, hex, deps.policySource.sha256, trusted);
}
