// A DSSE signature checked by openssl alone (verification.md §2): the PAE is written by printf, not by our code.
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Envelope } from '../../shared/core/types.js';

// verification.md §2, with the PAE written by hand (printf) rather than by our code.
export async function opensslVerifies(
  dir: string,
  env: Envelope,
  pubPem: string
): Promise<boolean> {
  const payload = Buffer.from(env.payload, 'base64');
  await writeFile(join(dir, 'payload.bin'), payload);
  await writeFile(
    join(dir, 'sig.der'),
    Buffer.from(env.signatures[0]?.sig ?? '', 'base64')
  );
  await writeFile(join(dir, 'pub.pem'), pubPem);
  const script = `T='${env.payloadType}'; { printf 'DSSEv1 %d %s %d ' "\${#T}" "$T" "$(stat -c %s payload.bin)"; cat payload.bin; } > pae.bin; openssl dgst -sha256 -verify pub.pem -signature sig.der pae.bin`;
  try {
    return execFileSync('sh', ['-c', script], { cwd: dir, stdio: 'pipe' })
      .toString()
      .includes('Verified OK');
  } catch {
    return false;
  }
}
