// Key versions of the KMS stand-in: one real P-256 key each, a state, and ListCryptoKeyVersions paging
// and `state=X` filtering as the real API does them.
// https://cloud.google.com/kms/docs/reference/rest/v1/projects.locations.keyRings.cryptoKeys.cryptoKeyVersions/list
import { generateKeyPairSync, type KeyObject } from 'node:crypto';

export type KmsVersionState = 'ENABLED' | 'DISABLED' | 'DESTROYED';
export type KmsPurpose = 'ASYMMETRIC_SIGN' | 'ENCRYPT_DECRYPT';

export interface KmsVersion {
  n: number;
  name: string;
  state: KmsVersionState;
  privateKey: KeyObject;
  pem: string;
}

// Builds versions 1..count of keyName; states default to ENABLED.
export function makeVersions(
  keyName: string,
  count: number,
  states: Partial<Record<number, KmsVersionState>> = {}
): Map<string, KmsVersion> {
  const versions = new Map<string, KmsVersion>();
  for (let n = 1; n <= count; n++) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', {
      namedCurve: 'prime256v1',
    });
    const name = `${keyName}/cryptoKeyVersions/${n}`;
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    versions.set(name, {
      n,
      name,
      state: states[n] ?? 'ENABLED',
      privateKey,
      pem,
    });
  }
  return versions;
}

// The enabled version with the highest number (what a versionless ref should resolve to).
export function newestEnabled(
  versions: Map<string, KmsVersion>
): KmsVersion | undefined {
  return [...versions.values()]
    .filter((v) => v.state === 'ENABLED')
    .sort((a, b) => b.n - a.n)[0];
}

// The CryptoKeyVersion resource (snake_case, as the proto loader expects with keepCase).
export function versionResource(v: KmsVersion, algorithm: string) {
  return {
    name: v.name,
    state: v.state,
    algorithm,
    protection_level: 'HSM',
    create_time: { seconds: String(1_700_000_000 + v.n * 86_400), nanos: 0 },
  };
}

export interface ListRequest {
  filter?: string;
  page_size?: number;
  page_token?: string;
}

// One page of versions in (lexicographic) name order (at most maxPageSize); undefined for a filter we do not understand.
export function listPage(
  versions: Map<string, KmsVersion>,
  req: ListRequest,
  maxPageSize: number
): { shown: KmsVersion[]; next: string } | undefined {
  const filter = /^\s*state\s*=\s*([A-Z_]+)\s*$/.exec(req.filter ?? '');
  if (req.filter && !filter) return undefined;
  const all = [...versions.values()]
    .filter((v) => !filter || v.state === filter[1])
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const size = Math.min(req.page_size || maxPageSize, maxPageSize);
  const from = Number(req.page_token || 0);
  const shown = all.slice(from, from + size);
  const next = from + size < all.length ? String(from + size) : '';
  return { shown, next };
}
