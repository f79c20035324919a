// The simple-signing payload byte for byte, the resource URI, and the public key IDs attestors expect.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AttestationError } from '../../shared/core/errors.js';
import {
  binauthzPayload,
  publicKeyIdOf,
  resourceUriOf,
} from '../../shared/binauthz/index.js';
import { KmsSigner } from '../../shared/signers/kms-signer.js';
import { startKms } from '../signers/kms-stand-in.js';
import { IMAGE, localSigner, opensslNiKeyId, RESOURCE_URI } from './harness.js';

// What `gcloud container binauthz create-signature-payload --artifact-url=…` prints for IMAGE: Python's
// json.dumps(indent=2, separators=(',', ': '), sort_keys=True) and a trailing newline.
const GCLOUD_PAYLOAD =
  '{\n' +
  '  "critical": {\n' +
  '    "identity": {\n' +
  '      "docker-reference": "us-docker.pkg.dev/example/apps/web"\n' +
  '    },\n' +
  '    "image": {\n' +
  '      "docker-manifest-digest": "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"\n' +
  '    },\n' +
  '    "type": "Google cloud binauthz container signature"\n' +
  '  }\n' +
  '}\n';

describe('binauthz payload and key IDs', () => {
  it('matches the gcloud simple-signing payload byte for byte', () => {
    const payload = binauthzPayload(IMAGE.name, IMAGE.hex);
    assert.equal(payload.toString('utf8'), GCLOUD_PAYLOAD);
    assert.ok(payload.equals(Buffer.from(GCLOUD_PAYLOAD, 'ascii')));
    assert.deepEqual(JSON.parse(payload.toString()), {
      critical: {
        identity: { 'docker-reference': IMAGE.name },
        image: { 'docker-manifest-digest': `sha256:${IMAGE.hex}` },
        type: 'Google cloud binauthz container signature',
      },
    });
  });

  it('files the attestation under https://<image>@sha256:<hex>', () => {
    assert.equal(resourceUriOf(IMAGE.name, IMAGE.hex), RESOURCE_URI);
    assert.equal(
      resourceUriOf('localhost:5000/team/app', IMAGE.hex),
      `https://localhost:5000/team/app@sha256:${IMAGE.hex}`
    );
  });

  const refused: [string, string, string][] = [
    ['a tag', 'gcr.io/p/app:v1', IMAGE.hex],
    ['a digest', `gcr.io/p/app@sha256:${IMAGE.hex}`, IMAGE.hex],
    ['a scheme', 'https://gcr.io/p/app', IMAGE.hex],
    ['no registry host', 'library/ubuntu', IMAGE.hex],
    ['upper case in the path', 'gcr.io/p/App', IMAGE.hex],
    ['non-ASCII', 'gcr.io/p/äpp', IMAGE.hex],
    ['a short digest', 'gcr.io/p/app', 'abc123'],
    ['an upper-case digest', 'gcr.io/p/app', IMAGE.hex.toUpperCase()],
  ];
  for (const [what, name, hex] of refused) {
    it(`refuses an image with ${what} (BINAUTHZ_INVALID)`, () => {
      assert.throws(
        () => binauthzPayload(name, hex),
        (err: unknown) =>
          err instanceof AttestationError &&
          err.code === 'BINAUTHZ_INVALID' &&
          err.permanent
      );
    });
  }

  it('names a local key ni:///sha-256;<base64url SHA-256 of the SPKI DER>, as openssl computes it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'binauthz-keyid-'));
    try {
      const signer = localSigner();
      await writeFile(join(dir, 'pub.pem'), signer.publicKeyPem);
      const id = publicKeyIdOf(signer);
      assert.match(id, /^ni:\/\/\/sha-256;[A-Za-z0-9_-]{43}$/);
      assert.equal(id, opensslNiKeyId(dir));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names a Cloud KMS key by //cloudkms.googleapis.com/v1/<key version>', async () => {
    const kms = await startKms();
    try {
      const signer = await KmsSigner.create(kms.client, kms.server.ref);
      assert.equal(
        publicKeyIdOf(signer),
        '//cloudkms.googleapis.com/v1/projects/test-project/locations/global/keyRings/ring/cryptoKeys/key/cryptoKeyVersions/1'
      );
    } finally {
      await kms.close();
    }
  });
});
