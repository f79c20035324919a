// `tekton-provenance statement RUN …`: prints the unsigned payload for one format (CONTRACT §3).
import { UsageError } from '../../shared/core/errors.js';
import { DEFAULT_BUILDER_ID, parseFormat } from '../../shared/core/formats.js';
import { buildPayload } from '../../shared/core/payloads.js';
import type { BuildOptions } from '../../shared/core/types.js';
import { onePositional, parseCommandArgs, type Command } from '../io.js';
import { readRunInput, warnIgnored } from '../read-input.js';

const OPTIONS = {
  taskruns: { type: 'string' },
  format: { type: 'string', default: 'slsa/v0.2' },
  'build-type': { type: 'string', default: 'slsa' },
  'deep-inspection': { type: 'boolean', default: false },
  'builder-id': { type: 'string', default: DEFAULT_BUILDER_ID },
} as const;

// Parses the arguments, reads the input, and writes the payload as 2-space JSON on stdout.
export const run: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs(argv, OPTIONS);
  const runPath = onePositional(positionals, 'RUN file');
  const format = parseFormat(values.format);
  const opts: BuildOptions = {
    builderId: values['builder-id'],
    buildType: parseBuildType(values['build-type']),
    deepInspection: values['deep-inspection'],
  };
  const input = await readRunInput(runPath, values.taskruns, io.cwd);
  warnIgnored(input, io.stderr);
  const payload = buildPayload(input, format, opts);
  const parsed: unknown = JSON.parse(payload.body.toString('utf8'));
  io.stdout(`${JSON.stringify(parsed, null, 2)}\n`);
  return 0;
};

function parseBuildType(value: string): BuildOptions['buildType'] {
  if (value === 'slsa' || value === 'slsa-tekton') return value;
  throw new UsageError(
    'USAGE',
    `expected --build-type slsa or slsa-tekton, got ${JSON.stringify(value)}`
  );
}
