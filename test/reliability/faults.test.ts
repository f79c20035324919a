import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { KeyManagementServiceClient } from '@google-cloud/kms';
import { makeAttestRun } from '../../functions/attest-run.js';
import { attestRunDeps, makeDeps } from '../../functions/deps.js';
import { loadConfig } from '../../shared/config.js';
import { decodePayload, parseEnvelope } from '../../shared/core/dsse.js';
import { createMemoryLogger } from '../../shared/log.js';
import { KmsRestClient } from '../../shared/signers/kms-rest-client.js';
import { KMS_TRANSPORTS } from '../signers/kms-stand-in.js';
import {
  startGcsServer,
  type GcsFault,
  type GcsServer,
} from '../stand-ins/gcs-server.js';
import {
  startKmsServer,
  type KmsFault,
  type KmsServer,
} from '../stand-ins/kms-server.js';
import {
  startKubeServer,
  type KubeFault,
  type KubeStandIn,
} from '../stand-ins/kube-server.js';
import { scaled, SEED, serveFunction, type Served } from './harness.js';
import {
  deliver,
  envelopeVerifies,
  lostRuns,
  eventFor,
  makeRuns,
  prng,
  shuffled,
  storedKeysOf,
  type Run,
} from './runs-world.js';

process.env.METADATA_SERVER_DETECTION = 'none';
const TOKEN = 'faults-kube-token';
const BUCKET = 'reliability-faults';
const RATE = 0.3; // share of dependency requests that fail while faults are on

// Over both KMS transports: REST is production's, gRPC the client library's.
for (const transport of KMS_TRANSPORTS)
  describe(`reliability: kube, KMS (${transport}) and GCS faults while Tekton delivers a batch, then redelivery`, function () {
    this.timeout(scaled(90_000, 600_000));
    const random = prng(SEED);
    let faulty = true;
    const injected = { kube: 0, kms: 0, gcs: 0 };
    let kube: KubeStandIn;
    let kms: KmsServer;
    let gcs: GcsServer;
    let sink: Served;
    let dir: string;
    const runs: Run[] = makeRuns(
      scaled(6, 40),
      scaled(3, 10),
      scaled(3, 5),
      'flt'
    );

    const kubeFault = (): KubeFault => {
      if (!faulty || random() >= RATE) return undefined;
      injected.kube++;
      return [
        { status: 500 },
        { status: 503 },
        { reset: true as const },
        { delayMs: 450 },
        { delayMs: 60 },
      ][Math.floor(random() * 5)];
    };
    const kmsFault = (): KmsFault | undefined => {
      if (!faulty || random() >= RATE) return undefined;
      injected.kms++;
      return [
        { code: grpc.status.UNAVAILABLE },
        { code: grpc.status.DEADLINE_EXCEEDED },
        { code: grpc.status.INTERNAL },
        { corruptSignatureCrc32c: true as const },
        { delayMs: 80 },
      ][Math.floor(random() * 5)];
    };
    const gcsFault = (): GcsFault | undefined => {
      if (!faulty || random() >= RATE) return undefined;
      injected.gcs++;
      return [
        { status: 503 },
        { status: 500 },
        { status: 429 },
        { reset: true as const },
        { reset: true as const, after: true },
        { delayMs: 120 },
      ][Math.floor(random() * 6)];
    };

    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'reliability-faults-'));
      kube = await startKubeServer({ token: TOKEN });
      kube.setRuns(runs);
      kube.fault = kubeFault;
      kms = await startKmsServer({ fault: kmsFault });
      gcs = await startGcsServer({ fault: gcsFault });
      const kmsClient =
        transport === 'REST'
          ? new KmsRestClient(kms.restUrl)
          : new KeyManagementServiceClient({
              apiEndpoint: '127.0.0.1',
              port: kms.port,
              sslCreds: grpc.credentials.createInsecure(),
            });
      const config = loadConfig({
        KUBE_SERVER: kube.url,
        KUBE_TOKEN: TOKEN,
        KUBE_TIMEOUT_MS: '300',
        SIGNER: kms.ref,
        STORE: `gs://${BUCKET}/att`,
        FORMATS: 'slsa/v0.2,slsa/v1.0',
      });
      const deps = makeDeps(config, createMemoryLogger(), {
        cwd: dir,
        signerOptions: { kmsClient, deadlineMs: 600, baseDelayMs: 10 },
        storeOptions: {
          apiEndpoint: gcs.url,
          deadlineMs: 600,
          baseDelayMs: 10,
        },
      });
      sink = await serveFunction(makeAttestRun(attestRunDeps(deps)));
    });
    after(async () => {
      await sink?.close();
      await Promise.all([kube?.close(), kms?.close(), gcs?.close()]);
      await rm(dir, { recursive: true, force: true });
    });

    it("ends with exactly every run's attestations, all verifying, none partial or duplicated", async () => {
      const events = runs.map((r) => eventFor(r));
      const phase1 = await Promise.all(
        shuffled(events, random).map((e) => deliver(sink.send, e))
      );
      const statuses = phase1.map((d) => d.reply?.status ?? 0);
      assert.ok(
        statuses.every((s) => s === 200 || s === 503),
        `only 200 or 503 under faults, got ${[...new Set(statuses)].join(',')}`
      );
      faulty = false;
      const final = await Promise.all(
        events.map((e) => deliver(sink.send, e, 3))
      );
      const stored = storedKeysOf(final);
      const objects = [...gcs.objects.keys()]
        .map((k) => k.slice(`${BUCKET}/att/`.length))
        .sort();
      assert.deepEqual(
        objects,
        [...stored].sort(),
        'the bucket holds exactly the keys the final replies list'
      );
      const lost = lostRuns(runs, objects, ['slsa-v0.2', 'slsa-v1.0']);
      const runPayload = new Map<string, string>();
      for (const key of objects) {
        const env = parseEnvelope(
          gcs.objects.get(`${BUCKET}/att/${key}`)!.bytes
        );
        assert.ok(
          envelopeVerifies(env, kms.publicKeyPem()),
          `${key} verifies with the KMS key`
        );
        const uid = /([0-9a-f]{8}-[0-9a-f-]{27})/.exec(key)![1]!;
        const format = /(slsa-v0\.2|slsa-v1\.0)/.exec(key)![1]!;
        const payload = decodePayload(env).toString('base64');
        const first = runPayload.get(`${uid} ${format}`) ?? payload;
        runPayload.set(`${uid} ${format}`, first);
        assert.equal(
          payload,
          first,
          `${key}: the same statement under every key of its run and format`
        );
      }
      const faults = injected.kube + injected.kms + injected.gcs;
      console.log(
        `      faults: ${faults} injected (kube ${injected.kube}, KMS ${injected.kms}, GCS ${injected.gcs}); runs: ${runs.length}; first-pass 503s: ${statuses.filter((s) => s === 503).length}; objects: ${objects.length}; lost: ${lost.length}`
      );
      assert.equal(lost.length, 0);
      assert.ok(faults > 0, 'faults were injected');
    });
  });
