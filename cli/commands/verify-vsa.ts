// verify's summary flags: --vsa-signer writes a VSA of the verdict, --vsa accepts a stored one instead of
// re-judging (when there is none, the digest is judged as usual).
import { UsageError } from '../../shared/core/errors.js';
import { createSigner } from '../../shared/signers/create-signer.js';
import type { AttestationStore } from '../../shared/stores/store.js';
import type { VerificationKey } from '../../shared/verify/keys.js';
import {
  REPORT_SCHEMA_VERSION,
  fail,
  pass,
  type VerifyReport,
} from '../../shared/verify/report.js';
import type { PolicySource } from '../../shared/vsa/policy-source.js';
import {
  summarizeDigest,
  type SummaryOutcome,
} from '../../shared/vsa/summarize.js';
import { readVsa } from '../../shared/vsa/vsa-read.js';
import type { VerifyDeps } from '../../shared/verify/verify-digest.js';
import type { CliIo } from '../io.js';

export const VSA_OPTIONS = {
  'vsa-signer': { type: 'string' },
  vsa: { type: 'boolean', default: false },
  'vsa-key': { type: 'string', multiple: true },
  'verifier-id': { type: 'string' },
} as const;

export { DEFAULT_VERIFIER_ID } from '../../shared/config-verify.js';

export interface VsaFlags {
  'vsa-signer'?: string | undefined;
  vsa?: boolean | undefined;
  policy?: string | undefined;
}

// Usage rules: a summary names one policy, and a run either writes one or reads one.
export function checkVsaFlags(values: VsaFlags): void {
  if (values.vsa && values['vsa-signer'] !== undefined)
    throw new UsageError('USAGE', 'expected --vsa or --vsa-signer, not both');
  if ((values.vsa || values['vsa-signer'] !== undefined) && !values.policy)
    throw new UsageError(
      'USAGE',
      'expected --policy FILE with --vsa and --vsa-signer: a summary is for one policy'
    );
}

// A report that rests on a stored VSA only: its one check is the VSA's.
export async function reportFromVsa(
  hex: string,
  store: AttestationStore,
  source: PolicySource,
  keys: readonly VerificationKey[],
  now: Date
): Promise<VerifyReport | undefined> {
  const found = await readVsa(store, hex, source.sha256, keys);
  if (found.state === 'absent') return undefined;
  const check =
    found.state === 'invalid'
      ? fail('vsa', found.key, 'VSA_INVALID', found.message)
      : found.result === 'FAILED'
        ? fail(
            'vsa',
            found.key,
            'VSA_FAILED',
            `the summary of ${found.timeVerified} by ${found.verifierId} says FAILED`
          )
        : pass(
            'vsa',
            found.key,
            `PASSED at ${found.timeVerified} by ${found.verifierId} (keyid ${found.keyid})`
          );
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    digest: `sha256:${hex}`,
    subjectNames: [],
    passed: check.passed,
    verifiedAt: now.toISOString(),
    attestations: [],
    runs: [],
    events: [],
    checks: [check],
    vsa: {
      key: found.key,
      ...(found.state === 'valid' && {
        result: found.result,
        verifierId: found.verifierId,
        timeVerified: found.timeVerified,
        policyUri: found.policyUri,
      }),
      policyDigest: `sha256:${source.sha256}`,
    },
  };
}

// Judges the digest and stores its VSA; the stderr line says what was written (or why nothing was).
export async function judgeAndSummarize(
  hex: string,
  deps: VerifyDeps,
  source: PolicySource,
  signerRef: string,
  verifierId: string,
  io: CliIo
): Promise<SummaryOutcome> {
  const signer = await createSigner(signerRef, { cwd: io.cwd });
  const outcome = await summarizeDigest(hex, {
    ...deps,
    signer,
    policySource: { uri: source.uri, sha256: source.sha256 },
    verifierId,
  });
  const line =
    outcome.result === 'PENDING'
      ? 'no VSA written: no provenance for this digest is stored yet'
      : outcome.created
        ? `wrote VSA ${outcome.key} (${outcome.result})`
        : `a VSA for this policy is already stored at ${outcome.key} (${outcome.stored ?? 'unreadable'}); not replaced`;
  io.stderr(`verify: ${line}\n`);
  outcome.report.vsa = {
    ...(outcome.key !== undefined && { key: outcome.key }),
    result: outcome.stored ?? outcome.result,
    policyDigest: `sha256:${source.sha256}`,
    ...(outcome.created !== undefined && { created: outcome.created }),
  };
  return outcome;
}
