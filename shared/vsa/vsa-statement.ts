// The SLSA Verification Summary Attestation (https://slsa.dev/spec/v1.0/verification_summary): built
// from a verify report, and read back field by field; pure, no I/O.
import { INTOTO_STATEMENT_V1 } from '../core/formats.js';

export const VSA_PREDICATE_V1 = 'https://slsa.dev/verification_summary/v1';
export const VSA_RESULTS = ['PASSED', 'FAILED'] as const;
export type VsaResult = (typeof VSA_RESULTS)[number];

// A resource and the sha256 of its bytes (a ResourceDescriptor with uri and digest).
export interface DigestedUri {
  uri: string;
  sha256: string;
}

export interface VsaInput {
  hex: string;
  // The image name the provenance gives the digest (without tag or digest), when it gives one.
  name?: string;
  verifierId: string;
  verifierVersion: string;
  timeVerified: Date;
  policy: DigestedUri;
  inputs: DigestedUri[];
  result: VsaResult;
  // Levels claimed on PASSED; a FAILED summary always says ["FAILED"].
  levels: readonly string[];
}

const descriptor = (d: DigestedUri) => ({
  uri: d.uri,
  digest: { sha256: d.sha256 },
});

// The in-toto Statement v1 of a VSA; inputs are sorted so the same verification reads the same.
export function vsaStatement(v: VsaInput): Record<string, unknown> {
  const ref = v.name ? `${v.name}@sha256:${v.hex}` : `sha256:${v.hex}`;
  return {
    _type: INTOTO_STATEMENT_V1,
    subject: [{ name: v.name ?? `sha256:${v.hex}`, digest: { sha256: v.hex } }],
    predicateType: VSA_PREDICATE_V1,
    predicate: {
      verifier: {
        id: v.verifierId,
        version: { 'tekton-provenance': v.verifierVersion },
      },
      timeVerified: v.timeVerified.toISOString(),
      resourceUri: ref,
      policy: descriptor(v.policy),
      inputAttestations: [...v.inputs]
        .sort((a, b) => a.uri.localeCompare(b.uri))
        .map(descriptor),
      verificationResult: v.result,
      verifiedLevels: v.result === 'PASSED' ? [...v.levels] : ['FAILED'],
      slsaVersion: '1.0',
    },
  };
}
