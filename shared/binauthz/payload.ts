// The bytes a Binary Authorization attestor signs for a container image: the "simple signing" JSON exactly
// as `gcloud container binauthz create-signature-payload` writes it, and the resource URI it is filed under.
import { AttestationError } from '../core/errors.js';

// The payload's fixed `critical.type`, which Binary Authorization checks.
export const BINAUTHZ_SIGNATURE_TYPE =
  'Google cloud binauthz container signature';

// A registry host (with a dot or a port, or localhost) and lower-case path components, as distribution's
// reference grammar has them; no scheme, tag or digest.
const IMAGE_NAME =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::\d+)?)\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

function hasRegistry(name: string): boolean {
  const host = name.split('/', 1)[0] ?? '';
  return host.includes('.') || host.includes(':') || host === 'localhost';
}

// Refuses what gcloud would not turn into the same payload: a tag, a digest, a scheme, no registry host.
export function checkImage(imageName: string, hex: string): void {
  if (!IMAGE_NAME.test(imageName) || !hasRegistry(imageName)) {
    throw new AttestationError(
      'BINAUTHZ_INVALID',
      `expected an image name with a registry host and no tag or digest (gcr.io/p/app), got ${JSON.stringify(imageName.slice(0, 200))}`
    );
  }
  if (!SHA256_HEX.test(hex)) {
    throw new AttestationError(
      'BINAUTHZ_INVALID',
      `expected a 64-character lower-case hex sha256 digest for ${imageName}, got ${JSON.stringify(hex.slice(0, 80))}`
    );
  }
}

// gcloud's json.dumps(indent=2, separators=(',', ': '), sort_keys=True) plus a newline; the keys below are
// already in sorted order and the values are ASCII, so JSON.stringify gives the same bytes.
export function binauthzPayload(imageName: string, hex: string): Buffer {
  checkImage(imageName, hex);
  const payload = {
    critical: {
      identity: { 'docker-reference': imageName },
      image: { 'docker-manifest-digest': `sha256:${hex}` },
      type: BINAUTHZ_SIGNATURE_TYPE,
    },
  };
  return Buffer.from(`${JSON.stringify(payload, null, 2)}\n`, 'utf8');
}

// The occurrence's resourceUri, the form Binary Authorization looks attestations up by.
export function resourceUriOf(imageName: string, hex: string): string {
  checkImage(imageName, hex);
  return `https://${imageName}@sha256:${hex}`;
}
