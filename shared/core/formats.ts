// Formats, their aliases (Chains config names), store tokens and DSSE payload types (CONTRACT §1).
import { UsageError } from './errors.js';

export const FORMATS = ['slsa/v0.2', 'slsa/v1.0', 'tekton'] as const;
export type Format = (typeof FORMATS)[number];

export const FORMAT_ALIASES: Readonly<Record<string, Format>> = {
  'slsa/v0.2': 'slsa/v0.2',
  'in-toto': 'slsa/v0.2',
  'slsa/v1': 'slsa/v0.2',
  'slsa/v1.0': 'slsa/v1.0',
  'slsa/v2alpha3': 'slsa/v1.0',
  'slsa/v2alpha4': 'slsa/v1.0',
  tekton: 'tekton',
};

export const INTOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
export const RUN_STATUS_PAYLOAD_TYPE = 'application/vnd.tekton.run-status+json';
export const DSSE_CONTENT_TYPE = 'application/vnd.dsse.envelope.v1+json';

export const INTOTO_STATEMENT_V01 = 'https://in-toto.io/Statement/v0.1';
export const INTOTO_STATEMENT_V1 = 'https://in-toto.io/Statement/v1';
export const SLSA_PROVENANCE_V02 = 'https://slsa.dev/provenance/v0.2';
export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';
export const TRIGGER_EVENT_PREDICATE_V1 =
  'https://tekton.dev/attestations/triggers/event@v1';

export const BUILD_TYPE_TASKRUN_V02 =
  'https://tekton.dev/attestations/chains@v2';
export const BUILD_TYPE_PIPELINERUN_V02 =
  'https://tekton.dev/attestations/chains/pipelinerun@v2';
export const BUILD_TYPE_SLSA_V1 = 'https://tekton.dev/chains/v2/slsa';
export const BUILD_TYPE_SLSA_TEKTON_V1 =
  'https://tekton.dev/chains/v2/slsa-tekton';
export const DEFAULT_BUILDER_ID = 'https://tekton.dev/chains/v2';

// Maps a format (or a Chains alias) to the canonical name; throws UsageError naming the value.
export function parseFormat(value: string): Format {
  const format = FORMAT_ALIASES[value.trim()];
  if (!format) {
    throw new UsageError(
      'USAGE',
      `expected a format (${Object.keys(FORMAT_ALIASES).join(', ')}), got ${JSON.stringify(value)}`
    );
  }
  return format;
}

export function isFormat(value: unknown): value is Format {
  return (
    typeof value === 'string' && (FORMATS as readonly string[]).includes(value)
  );
}

// The token used in store keys: slsa-v0.2, slsa-v1.0, tekton.
export function formatToken(format: Format): string {
  return format.replace('/', '-');
}

export function payloadTypeOf(format: Format): string {
  return format === 'tekton' ? RUN_STATUS_PAYLOAD_TYPE : INTOTO_PAYLOAD_TYPE;
}
