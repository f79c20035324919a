// gcpkms:// references and how Cloud KMS failures map onto our coded errors.
import { SigningError } from '../core/errors.js';

const REF =
  /^gcpkms:\/\/(projects\/[a-z][-a-z0-9]{4,28}[a-z0-9]\/locations\/[a-z0-9-]{1,63}\/keyRings\/[\w-]{1,63}\/cryptoKeys\/[\w-]{1,63})(?:\/(?:cryptoKeyVersions|versions)\/([1-9][0-9]{0,8}))?$/;
// gRPC codes worth another attempt: DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, INTERNAL, UNAVAILABLE.
const TRANSIENT_CODES = new Set([4, 8, 13, 14]);
// gRPC codes meaning the reference or its permissions are wrong: INVALID_ARGUMENT, NOT_FOUND, PERMISSION_DENIED.
const CONFIG_CODES = new Set([3, 5, 7]);

export interface KmsRef {
  keyName: string;
  versionName?: string;
}

// Splits gcpkms://…/cryptoKeys/K[/cryptoKeyVersions/N] (cosign's /versions/N too) into resource names.
export function parseKmsRef(ref: string): KmsRef {
  const m = REF.exec(ref);
  if (!m?.[1]) {
    throw new SigningError(
      'SIGNER_INVALID',
      `expected gcpkms://projects/P/locations/L/keyRings/R/cryptoKeys/K[/cryptoKeyVersions/N], got ${JSON.stringify(ref.slice(0, 200))}`
    );
  }
  return m[2]
    ? { keyName: m[1], versionName: `${m[1]}/cryptoKeyVersions/${m[2]}` }
    : { keyName: m[1] };
}

// A google.protobuf.Int64Value (number, string or Long) as a number; NaN when absent.
export function int64(value: { value?: unknown } | null | undefined): number {
  const raw = value?.value;
  if (typeof raw === 'number' || typeof raw === 'string') return Number(raw);
  if (typeof raw === 'object' && raw !== null && 'toNumber' in raw) {
    return (raw as { toNumber(): number }).toNumber();
  }
  return NaN;
}

// A reply failed a CRC32C or consistency check: transient, because a retry may come back intact.
export function integrityError(message: string): SigningError {
  return new SigningError('KMS_INTEGRITY_MISMATCH', message);
}

// Transient: the gRPC codes above and integrity mismatches.
export function isTransientKmsError(err: unknown): boolean {
  if (err instanceof SigningError) return err.code === 'KMS_INTEGRITY_MISMATCH';
  return TRANSIENT_CODES.has((err as { code?: unknown }).code as number);
}

// Anything not already ours becomes SIGNER_INVALID (wrong ref or permissions) or transient KMS_SIGN_FAILED.
export function toSigningError(err: unknown, what: string): SigningError {
  if (err instanceof SigningError) return err;
  const code = (err as { code?: unknown }).code;
  const detail = err instanceof Error ? err.message.split('\n')[0] : 'unknown';
  return new SigningError(
    CONFIG_CODES.has(code as number) ? 'SIGNER_INVALID' : 'KMS_SIGN_FAILED',
    `expected ${what}, got gRPC ${String(code)}: ${detail}`,
    { cause: err }
  );
}
