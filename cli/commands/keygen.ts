// `tekton-provenance keygen --out DIR`: a PKCS#8 EC P-256 signing key and its SPKI public key (CONTRACT §3).
import { resolve } from 'node:path';
import { UsageError } from '../../shared/core/errors.js';
import { generateLocalKey } from '../../shared/signers/local-key-signer.js';
import { parseCommandArgs, type Command } from '../io.js';

const OPTIONS = { out: { type: 'string' } } as const;

// Writes DIR/signing.pem (mode 0600) and DIR/signing.pub.pem; refuses to overwrite an existing key.
export const run: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs(argv, OPTIONS);
  if (values.out === undefined || positionals.length > 0) {
    throw new UsageError('USAGE', 'expected keygen --out DIR');
  }
  const key = await generateLocalKey(resolve(io.cwd, values.out));
  io.stdout(
    `private key: ${key.privateKeyPath}\npublic key: ${key.publicKeyPath}\nkeyid: ${key.keyId}\n`
  );
  return 0;
};
