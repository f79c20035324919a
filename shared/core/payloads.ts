// One entry point for every format: the payload bytes to sign, their DSSE type and the subjects
// under which the envelope is stored (CONTRACT §1, §4).
import {
  payloadTypeOf,
  RUN_STATUS_PAYLOAD_TYPE,
  type Format,
} from './formats.js';
import { buildRunStatus } from './run-status.js';
import { buildSlsaV02 } from './slsa-v02.js';
import { buildSlsaV1 } from './slsa-v1.js';
import type { BuildOptions, RunInput, Subject } from './types.js';

export interface Payload {
  format: Format;
  payloadType: string;
  body: Buffer;
  subjects: Subject[];
  predicateType: string;
}

// Builds the payload for a format; deterministic: the same input gives the same bytes.
export function buildPayload(
  input: RunInput,
  format: Format,
  opts: BuildOptions
): Payload {
  const payloadType = payloadTypeOf(format);
  if (format === 'tekton') {
    return {
      format,
      payloadType,
      body: Buffer.from(JSON.stringify(buildRunStatus(input))),
      // CONTRACT §5: the tekton format is stored under the subjects the in-toto formats find.
      subjects: subjectsOf(v02Statement(input, opts)),
      predicateType: RUN_STATUS_PAYLOAD_TYPE,
    };
  }
  const statement =
    format === 'slsa/v1.0'
      ? buildSlsaV1(input, opts)
      : v02Statement(input, opts);
  return {
    format,
    payloadType,
    body: Buffer.from(JSON.stringify(statement)),
    subjects: subjectsOf(statement),
    predicateType: statement.predicateType,
  };
}

interface InTotoStatement {
  predicateType: string;
  subject?: Subject[] | undefined;
}

// buildSlsaV02 returns a plain object; it is an in-toto Statement v0.1 with these fields.
function v02Statement(input: RunInput, opts: BuildOptions): InTotoStatement {
  return buildSlsaV02(input, opts) as InTotoStatement;
}

function subjectsOf(statement: InTotoStatement): Subject[] {
  return (statement.subject ?? []).map((s) => ({
    name: s.name,
    digest: { ...s.digest },
  }));
}
