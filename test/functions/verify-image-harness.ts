// verifyImage with real parts: the examples attested into a GCS stand-in bucket, the policy as an object in
// it, the VSA key in the KMS stand-in, and Binary Authorization occurrences in the Grafeas stand-in.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ff from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import request from 'supertest';
import { loadConfig } from '../../shared/config.js';
import { createMemoryLogger } from '../../shared/log.js';
import { createStore } from '../../shared/stores/create-store.js';
import type { AttestationStore } from '../../shared/stores/store.js';
import { makeDeps } from '../../functions/deps.js';
import { makeVerifyImage } from '../../functions/verify-image.js';
import { verifyImageDeps } from '../../functions/verify-image-deps.js';
import { startKms, type KmsFixture } from '../signers/kms-stand-in.js';
import { startGcsServer, type GcsServer } from '../stand-ins/gcs-server.js';
import {
  startGrafeasServer,
  type GrafeasServer,
} from '../stand-ins/grafeas-server.js';
import {
  attest,
  eventIdOf,
  exampleInput,
  makeKey,
  pushBody,
  REVISION,
  signEvent,
  type TestKey,
} from '../verify/harness.js';

export const BUCKET = 'vsa-bucket';
export const POLICY_OBJECT = 'policies/policy.yaml';
export const NOTE = 'projects/acme-prod/notes/tekton-provenance';
let counter = 0;

export interface VerifyImageFixture {
  http: ReturnType<typeof request>;
  gcs: GcsServer;
  kms: KmsFixture;
  grafeas: GrafeasServer;
  store: AttestationStore;
  key: TestKey;
  dir: string;
  logger: ReturnType<typeof createMemoryLogger>;
  // Replaces the policy object's bytes (a new policy digest).
  setPolicy(text: string): void;
  // Every object name in the bucket, sorted.
  names(): string[];
  close(): Promise<void>;
}

// env is merged over the defaults (VSA_SIGNER on the KMS stand-in, BINAUTHZ_NOTE on the Grafeas one).
export async function startVerifyImage(
  policy: string,
  env: Record<string, string> = {}
): Promise<VerifyImageFixture> {
  const [gcs, kms, grafeas] = await Promise.all([
    startGcsServer(),
    startKms(),
    startGrafeasServer({ notes: [NOTE] }),
  ]);
  const dir = await mkdtemp(join(tmpdir(), 'verify-image-'));
  const key = await makeKey(dir, 'key');
  const storeOptions = { apiEndpoint: gcs.url };
  const store = await createStore(`gs://${BUCKET}`, storeOptions);
  for (const variant of ['trusted', 'inject-miner'] as const) {
    const input = exampleInput(variant);
    const commit = variant === 'trusted' ? REVISION : 'f'.repeat(40);
    await signEvent(store, key.signer, eventIdOf(input), pushBody(commit));
    await attest(store, key.signer, input);
  }
  const setPolicy = (text: string) =>
    void gcs.objects.set(`${BUCKET}/${POLICY_OBJECT}`, {
      bytes: Buffer.from(text),
      contentType: 'application/yaml',
      metadata: {},
      generation: Date.now() * 1000 + ++counter,
    });
  setPolicy(policy);
  const config = loadConfig({
    STORE: `gs://${BUCKET}`,
    SIGNER: join(dir, 'unused.pem'),
    VERIFY_KEYS: key.pubPath,
    VSA_SIGNER: kms.server.ref,
    VSA_POLICY: `gs://${BUCKET}/${POLICY_OBJECT}`,
    BINAUTHZ_NOTE: NOTE,
    GRAFEAS_ENDPOINT: grafeas.endpoint,
    ...env,
  });
  const logger = createMemoryLogger();
  const deps = makeDeps(config, logger, {
    cwd: dir,
    signerOptions: { kmsClient: kms.client },
    storeOptions,
  });
  const name = `verifyImageTest${++counter}`;
  ff.http(name, makeVerifyImage(verifyImageDeps(deps)));
  return {
    http: request(getTestServer(name)),
    gcs,
    kms,
    grafeas,
    store,
    key,
    dir,
    logger,
    setPolicy,
    names: () =>
      [...gcs.objects.keys()].map((k) => k.slice(BUCKET.length + 1)).sort(),
    close: async () => {
      await Promise.all([gcs.close(), kms.close(), grafeas.close()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// The Pub/Sub push body of a message whose data is doc (as a push subscription delivers it).
export function pushOf(doc: unknown, messageId = '1') {
  return {
    message: {
      data: Buffer.from(JSON.stringify(doc)).toString('base64'),
      messageId,
      attributes: {},
    },
    subscription: 'projects/acme-prod/subscriptions/verify-image',
  };
}
