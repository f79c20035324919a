// `tekton-provenance get DIGEST --store STORE`: every envelope stored for an artifact digest (CONTRACT §3).
import { serializeEnvelope } from '../../shared/core/dsse.js';
import { UsageError, VerificationError } from '../../shared/core/errors.js';
import { digestPrefix } from '../../shared/core/layout.js';
import { createStore } from '../../shared/stores/create-store.js';
import { onePositional, parseCommandArgs, type Command } from '../io.js';

const OPTIONS = { store: { type: 'string' } } as const;
const DIGEST = /^sha256:([0-9a-f]{64})$/;

// One JSON envelope per line, in key order; none stored is exit 1 (ATTESTATION_MISSING).
export const run: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs(argv, OPTIONS);
  const digest = onePositional(positionals, 'DIGEST');
  const hex = DIGEST.exec(digest)?.[1];
  if (!hex)
    throw new UsageError(
      'USAGE',
      `expected DIGEST as sha256:<64 lowercase hex>, got ${JSON.stringify(digest.slice(0, 80))}`
    );
  const storeRef = values.store ?? io.env['STORE'];
  if (!storeRef)
    throw new UsageError(
      'USAGE',
      'expected --store (or STORE in the environment)'
    );
  const store = await createStore(storeRef, { cwd: io.cwd });
  const keys = await store.list(digestPrefix(hex));
  const envelopes = await Promise.all(keys.map((k) => store.get(k)));
  const found = envelopes.filter((e) => e !== undefined);
  if (found.length === 0)
    throw new VerificationError(
      'ATTESTATION_MISSING',
      `expected an envelope for ${digest}, got none in ${store.location}`
    );
  io.stdout(found.map((e) => serializeEnvelope(e).toString('utf8')).join(''));
  return 0;
};
