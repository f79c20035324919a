// gRPC (and REST, kms-rest.ts) stand-in for Cloud KMS with the real protos and real P-256 keys: GetCryptoKey (a primary only for
// ENCRYPT_DECRYPT keys, like the real API), ListCryptoKeyVersions, GetPublicKey and AsymmetricSign over a
// given SHA-256 digest, with every CRC32C field filled in.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { crc32c } from '../../shared/signers/crc32c.js';
import { signDigestP256 } from './ecdsa-prehashed.js';
import { serveKmsRest, type KmsHandlers } from './kms-rest.js';
import {
  listPage,
  makeVersions,
  newestEnabled,
  versionResource,
  type KmsPurpose,
  type KmsVersionState,
} from './kms-versions.js';

export type { KmsPurpose, KmsVersionState };
export type KmsMethod =
  'GetCryptoKey' | 'ListCryptoKeyVersions' | 'GetPublicKey' | 'AsymmetricSign';
// A fault replaces one reply: a gRPC status code, a reply whose signatureCrc32c is wrong, or a delay.
export type KmsFault =
  | { code: grpc.status }
  | { corruptSignatureCrc32c: true }
  | { delayMs: number };
export interface KmsServerOptions {
  keyName?: string;
  // Number of key versions (each its own P-256 key), all ENABLED unless `states` says otherwise.
  versions?: number;
  states?: Partial<Record<number, KmsVersionState>>;
  // ASYMMETRIC_SIGN (default) or ENCRYPT_DECRYPT (symmetric: a primary, no public key).
  purpose?: KmsPurpose;
  // Algorithm reported for every version; default EC_SIGN_P256_SHA256 (GOOGLE_SYMMETRIC_ENCRYPTION if symmetric).
  algorithm?: string;
  // Most versions per ListCryptoKeyVersions page (default 1000).
  pageSize?: number;
  fault?:
    ((method: KmsMethod, seq: number) => KmsFault | undefined) | undefined;
}
export interface KmsCounters {
  getCryptoKey: number;
  listCryptoKeyVersions: number;
  getPublicKey: number;
  asymmetricSign: number;
  signed: number;
  dataReceived: number;
  faults: number;
}
export interface KmsServer {
  // The gRPC port, and the REST face's base URL (http://127.0.0.1:PORT, the same handlers and counters).
  port: number;
  restUrl: string;
  keyName: string;
  ref: string;
  versionName(n: number): string;
  // The public key of version n; by default of the newest enabled version (what a versionless ref uses).
  publicKeyPem(n?: number): string;
  counters: KmsCounters;
  // Simple fault queues consumed by AsymmetricSign before `fault` is asked.
  queued: { unavailable: number; corruptSignatureCrc32c: number };
  close(): Promise<void>;
}

type Call = grpc.ServerUnaryCall<Record<string, unknown>, unknown>;
type Done = grpc.sendUnaryData<unknown>;

let service: grpc.ServiceDefinition | undefined;

// Loads the real KMS service definition once per process (proto parsing costs ~100 ms).
function loadService(): grpc.ServiceDefinition {
  if (service) return service;
  const require = createRequire(import.meta.url);
  const kmsProtos = join(
    dirname(require.resolve('@google-cloud/kms')),
    '../protos'
  );
  const gaxProtos = join(dirname(require.resolve('google-gax')), '../protos');
  const def = protoLoader.loadSync('google/cloud/kms/v1/service.proto', {
    includeDirs: [kmsProtos, gaxProtos],
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  const pkg = grpc.loadPackageDefinition(def) as unknown as {
    google: {
      cloud: {
        kms: {
          v1: { KeyManagementService: { service: grpc.ServiceDefinition } };
        };
      };
    };
  };
  return (service = pkg.google.cloud.kms.v1.KeyManagementService.service);
}

const fail = (done: Done, code: grpc.status, details: string) =>
  done({ code, details, name: 'KmsError', message: details });

// Starts the stand-in (gRPC and REST) on 127.0.0.1; connect gRPC with { apiEndpoint: '127.0.0.1', port, sslCreds: grpc.credentials.createInsecure() }.
export async function startKmsServer(
  opts: KmsServerOptions = {}
): Promise<KmsServer> {
  const keyName =
    opts.keyName ??
    'projects/test-project/locations/global/keyRings/ring/cryptoKeys/key';
  const keys = makeVersions(keyName, opts.versions ?? 1, opts.states);
  const versionName = (n: number) => `${keyName}/cryptoKeyVersions/${n}`;
  const purpose = opts.purpose ?? 'ASYMMETRIC_SIGN';
  const symmetric = purpose === 'ENCRYPT_DECRYPT';
  const algorithm =
    opts.algorithm ??
    (symmetric ? 'GOOGLE_SYMMETRIC_ENCRYPTION' : 'EC_SIGN_P256_SHA256');
  const newest = newestEnabled(keys);
  const counters: KmsCounters = {
    getCryptoKey: 0,
    listCryptoKeyVersions: 0,
    getPublicKey: 0,
    asymmetricSign: 0,
    signed: 0,
    dataReceived: 0,
    faults: 0,
  };
  const queued = { unavailable: 0, corruptSignatureCrc32c: 0 };
  let seq = 0;

  function faultFor(method: KmsMethod): KmsFault | undefined {
    seq++;
    if (method === 'AsymmetricSign' && queued.unavailable > 0)
      return (queued.unavailable--, { code: grpc.status.UNAVAILABLE });
    if (method === 'AsymmetricSign' && queued.corruptSignatureCrc32c > 0)
      return (
        queued.corruptSignatureCrc32c--,
        { corruptSignatureCrc32c: true }
      );
    return opts.fault?.(method, seq);
  }

  // Runs a handler after applying any fault; returns false when the fault already answered.
  async function guard(
    method: KmsMethod,
    done: Done
  ): Promise<KmsFault | undefined | false> {
    const fault = faultFor(method);
    if (fault) counters.faults++;
    if (fault && 'code' in fault)
      return (
        fail(done, fault.code, `injected ${grpc.status[fault.code]}`),
        false
      );
    if (fault && 'delayMs' in fault)
      await new Promise((r) => setTimeout(r, fault.delayMs));
    return fault;
  }

  const handlers = {
    GetCryptoKey: async (call: Call, done: Done) => {
      counters.getCryptoKey++;
      if ((await guard('GetCryptoKey', done)) === false) return;
      if (call.request['name'] !== keyName)
        return fail(
          done,
          grpc.status.NOT_FOUND,
          `no key ${String(call.request['name'])}`
        );
      done(null, {
        name: keyName,
        purpose,
        ...(symmetric && newest
          ? { primary: versionResource(newest, algorithm) }
          : {}),
        version_template: { algorithm, protection_level: 'HSM' },
      });
    },
    ListCryptoKeyVersions: async (call: Call, done: Done) => {
      counters.listCryptoKeyVersions++;
      if ((await guard('ListCryptoKeyVersions', done)) === false) return;
      if (call.request['parent'] !== keyName)
        return fail(
          done,
          grpc.status.NOT_FOUND,
          `no key ${String(call.request['parent'])}`
        );
      const page = listPage(keys, call.request, opts.pageSize ?? 1000);
      if (!page)
        return fail(done, grpc.status.INVALID_ARGUMENT, 'unsupported filter');
      done(null, {
        crypto_key_versions: page.shown.map((v) =>
          versionResource(v, algorithm)
        ),
        next_page_token: page.next,
        total_size: page.shown.length,
      });
    },
    GetPublicKey: async (call: Call, done: Done) => {
      counters.getPublicKey++;
      if ((await guard('GetPublicKey', done)) === false) return;
      const name = String(call.request['name']);
      const key = keys.get(name);
      if (!key)
        return fail(done, grpc.status.NOT_FOUND, `no key version ${name}`);
      if (symmetric || key.state !== 'ENABLED')
        return fail(
          done,
          grpc.status.FAILED_PRECONDITION,
          `${name} is not an enabled asymmetric key version`
        );
      done(null, {
        pem: key.pem,
        algorithm,
        pem_crc32c: { value: String(crc32c(Buffer.from(key.pem))) },
        name,
        protection_level: 'HSM',
      });
    },
    AsymmetricSign: async (call: Call, done: Done) => {
      counters.asymmetricSign++;
      const fault = await guard('AsymmetricSign', done);
      if (fault === false) return;
      const req = call.request as {
        name: string;
        digest?: { sha256?: Buffer };
        digest_crc32c?: { value: string } | null;
        data?: Buffer;
      };
      if (req.data && req.data.length > 0) counters.dataReceived++;
      const key = keys.get(req.name);
      if (!key)
        return fail(done, grpc.status.NOT_FOUND, `no key version ${req.name}`);
      if (symmetric || key.state !== 'ENABLED')
        return fail(
          done,
          grpc.status.FAILED_PRECONDITION,
          `${req.name} is not an enabled asymmetric key version`
        );
      const digest = req.digest?.sha256;
      if (!digest || digest.length !== 32)
        return fail(
          done,
          grpc.status.INVALID_ARGUMENT,
          'digest.sha256 must be 32 bytes'
        );
      if (
        req.digest_crc32c &&
        Number(req.digest_crc32c.value) !== crc32c(digest)
      )
        return fail(
          done,
          grpc.status.INVALID_ARGUMENT,
          'digest_crc32c mismatch'
        );
      const signature = signDigestP256(digest, key.privateKey);
      const crc =
        crc32c(signature) ^
        (fault && 'corruptSignatureCrc32c' in fault ? 1 : 0);
      counters.signed++;
      done(null, {
        signature,
        signature_crc32c: { value: String(crc >>> 0) },
        verified_digest_crc32c: req.digest_crc32c != null,
        verified_data_crc32c: false,
        name: req.name,
        protection_level: 'HSM',
      });
    },
  };

  const server = new grpc.Server();
  server.addService(loadService(), handlers);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(
      '127.0.0.1:0',
      grpc.ServerCredentials.createInsecure(),
      (err, p) => (err ? reject(err) : resolve(p))
    )
  );
  const rest = await serveKmsRest(handlers as unknown as KmsHandlers);
  return {
    port,
    restUrl: `http://127.0.0.1:${rest.port}`,
    keyName,
    ref: `gcpkms://${keyName}`,
    versionName,
    counters,
    queued,
    publicKeyPem: (n = newest?.n ?? 1) => keys.get(versionName(n))?.pem ?? '',
    close: async () => {
      await rest.close();
      await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
    },
  };
}
