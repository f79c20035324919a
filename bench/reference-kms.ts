// The reference sink's one KMS call: a bare grpc-js unary AsymmetricSign (digest + CRC32C) to the stand-in,
// without google-gax, retries or checks.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { StandIns } from './stand-ins.js';

type Sign = (
  req: unknown,
  done: (err: Error | null, res?: { signature: Buffer }) => void
) => void;

let client: { AsymmetricSign: Sign } | undefined;

// Loads the KMS service definition once (before the timed events) and opens one channel.
function kmsClient(si: StandIns): { AsymmetricSign: Sign } {
  if (client) return client;
  const require = createRequire(import.meta.url);
  const kmsProtos = join(
    dirname(require.resolve('@google-cloud/kms')),
    '../protos'
  );
  const gaxProtos = join(dirname(require.resolve('google-gax')), '../protos');
  const def = protoLoader.loadSync('google/cloud/kms/v1/service.proto', {
    includeDirs: [kmsProtos, gaxProtos],
    keepCase: true,
  });
  const pkg = grpc.loadPackageDefinition(def) as unknown as {
    google: {
      cloud: {
        kms: { v1: { KeyManagementService: grpc.ServiceClientConstructor } };
      };
    };
  };
  const Ctor = pkg.google.cloud.kms.v1.KeyManagementService;
  client = new Ctor(
    si.kmsEndpoint,
    grpc.credentials.createInsecure()
  ) as unknown as {
    AsymmetricSign: Sign;
  };
  return client;
}

// The version the stand-in signs with (its only one).
const versionOf = (si: StandIns) =>
  `${si.kmsRef.replace(/^gcpkms:\/\//, '')}/cryptoKeyVersions/1`;

// One AsymmetricSign over sha256; resolves to the DER signature.
export function kmsSignRaw(
  si: StandIns,
  sha256: Buffer,
  crc: number
): Promise<Buffer> {
  const c = kmsClient(si);
  const request = {
    name: versionOf(si),
    digest: { sha256 },
    digest_crc32c: { value: crc },
  };
  return new Promise((resolve, reject) =>
    c.AsymmetricSign(request, (err, res) =>
      err || !res
        ? reject(err ?? new Error('no reply'))
        : resolve(Buffer.from(res.signature))
    )
  );
}

// Builds the client ahead of the timed events.
export function warmKms(si: StandIns): void {
  kmsClient(si);
}
