// A store holding the trusted and inject-miner examples (their events, then every format), a provenance
// key, a VSA key and a policy file, all in one temporary directory.
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodePayload, parseEnvelope } from '../../shared/core/dsse.js';
import { generateLocalKey } from '../../shared/signers/local-key-signer.js';
import { FsStore } from '../../shared/stores/fs-store.js';
import {
  attest,
  eventIdOf,
  exampleInput,
  imageHexOf,
  makeKey,
  pushBody,
  REVISION,
  signEvent,
  tempDir,
  type TestKey,
} from '../verify/harness.js';

export const POLICY = `trustedTasks:
  - bundle: gcr.io/tekton-releases/catalog/upstream/git-clone
  - bundle: gcr.io/tekton-releases/catalog/upstream/buildah
  - git: https://github.com/acme/ci-tasks.git
    path: tasks/unit-tests.yaml
  - git: https://github.com/acme/ci-tasks.git
    path: tasks/trivy-scan.yaml
  - name: send-to-webhook-slack
requireTriggerEvent: true
`;

export const CLEAN_HEX = imageHexOf(exampleInput('trusted'));
export const MINER_HEX = imageHexOf(exampleInput('inject-miner'));

export interface VsaFixture {
  dir: string;
  storeDir: string;
  store: FsStore;
  key: TestKey;
  // dir/vsa.pem (for --vsa-signer) and dir/vsa.pub.pem (for --vsa-key).
  vsaPub: string;
  cleanup: () => Promise<void>;
}

// Both examples attested into dir/store the way attestRun and signEvent would store them.
export async function vsaFixture(): Promise<VsaFixture> {
  const { dir, cleanup } = await tempDir();
  const key = await makeKey(dir, 'key');
  const vsaPub = (await generateLocalKey(dir, 'vsa')).publicKeyPath;
  await writeFile(join(dir, 'policy.yaml'), POLICY);
  const storeDir = join(dir, 'store');
  const store = new FsStore(storeDir);
  for (const variant of ['trusted', 'inject-miner'] as const) {
    const input = exampleInput(variant);
    // One store for both, so the miner's event is another push (a replayed body would be refused).
    const commit = variant === 'trusted' ? REVISION : 'f'.repeat(40);
    await signEvent(store, key.signer, eventIdOf(input), pushBody(commit));
    await attest(store, key.signer, input);
  }
  return { dir, storeDir, store, key, vsaPub, cleanup };
}

// The vsa-*.dsse.json files stored for hex, by name.
export async function vsaFiles(
  storeDir: string,
  hex: string
): Promise<string[]> {
  const names = await readdir(join(storeDir, 'sha256', hex));
  return names.filter((n) => n.startsWith('vsa-')).sort();
}

interface Descriptor {
  uri: string;
  digest: { sha256: string };
}

// The fields of a VSA statement the tests read.
export interface VsaDoc {
  _type: string;
  predicateType: string;
  subject: { name: string; digest: { sha256: string } }[];
  predicate: {
    verifier: { id: string };
    resourceUri: string;
    policy: Descriptor;
    inputAttestations: Descriptor[];
    verificationResult: string;
    verifiedLevels: string[];
  };
}

// The decoded statement of a stored VSA file.
export async function vsaStatementAt(path: string): Promise<VsaDoc> {
  const env = parseEnvelope(await readFile(path));
  return JSON.parse(decodePayload(env).toString('utf8')) as VsaDoc;
}
