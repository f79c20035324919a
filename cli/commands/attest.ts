// `tekton-provenance attest RUN …`: signs RUN in each format and stores it create-only (CONTRACT §3).
import { attestInput } from '../../shared/attest.js';
import { UsageError } from '../../shared/core/errors.js';
import { DEFAULT_BUILDER_ID, parseFormat } from '../../shared/core/formats.js';
import type { BuildOptions } from '../../shared/core/types.js';
import { createSigner } from '../../shared/signers/create-signer.js';
import { createStore } from '../../shared/stores/create-store.js';
import { onePositional, parseCommandArgs, type Command } from '../io.js';
import { readRunInput, warnIgnored } from '../read-input.js';
import { cliTriggerLink } from '../trigger-link-env.js';

const OPTIONS = {
  taskruns: { type: 'string' },
  format: { type: 'string', multiple: true },
  signer: { type: 'string' },
  store: { type: 'string' },
  'builder-id': { type: 'string', default: DEFAULT_BUILDER_ID },
  'build-type': { type: 'string', default: 'slsa' },
  'deep-inspection': { type: 'boolean', default: false },
} as const;

// --signer/--store, else the SIGNER/STORE environment of CONTRACT §6.
function required(
  value: string | undefined,
  env: string | undefined,
  flag: string
): string {
  const chosen = value ?? env;
  if (!chosen)
    throw new UsageError(
      'USAGE',
      `expected --${flag} (or ${flag.toUpperCase()} in the environment)`
    );
  return chosen;
}

function buildOptions(values: {
  'builder-id': string;
  'build-type': string;
  'deep-inspection': boolean;
}): BuildOptions {
  const buildType = values['build-type'];
  if (buildType !== 'slsa' && buildType !== 'slsa-tekton') {
    throw new UsageError(
      'USAGE',
      `expected --build-type slsa or slsa-tekton, got ${JSON.stringify(buildType)}`
    );
  }
  return {
    builderId: values['builder-id'],
    buildType,
    deepInspection: values['deep-inspection'],
  };
}

// Prints every key of the run's attestations, one per line (stored now or already there).
export const run: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs(argv, OPTIONS);
  const runPath = onePositional(positionals, 'RUN file');
  const formats = (values.format ?? ['slsa/v0.2'])
    .flatMap((f) => f.split(','))
    .map(parseFormat);
  const options = buildOptions(values);
  const signerRef = required(values.signer, io.env['SIGNER'], 'signer');
  const storeRef = required(values.store, io.env['STORE'], 'store');
  const triggerLink = cliTriggerLink('attest', io);
  const input = await readRunInput(runPath, values.taskruns, io.cwd);
  warnIgnored(input, io.stderr);
  const [signer, store] = await Promise.all([
    createSigner(signerRef, { cwd: io.cwd }),
    createStore(storeRef, { cwd: io.cwd }),
  ]);
  const outcome = await attestInput(input, {
    signer,
    store,
    formats,
    options,
    triggerLink,
  });
  io.stdout(outcome.keys.map((k) => `${k}\n`).join(''));
  io.stderr(
    `stored ${outcome.created.length} new, ${outcome.existing.length} already present in ${store.location}\n`
  );
  return 0;
};
