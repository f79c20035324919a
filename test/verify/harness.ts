// Builds real attestations for verify tests: the TEP-0084 example runs through our own builders,
// signed by LocalKeySigners and stored in an FsStore; trigger events signed through signTriggerEvent.
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attestInput } from '../../shared/attest.js';
import type { Format } from '../../shared/core/formats.js';
import { makeRunInput } from '../../shared/core/tekton.js';
import {
  parseRunDocument,
  parseTaskRunsDocument,
} from '../../shared/core/tekton-documents.js';
import type {
  BuildOptions,
  RunInput,
  TaskRun,
} from '../../shared/core/types.js';
import { signTriggerEvent } from '../../shared/sign-trigger-event.js';
import { LocalKeySigner } from '../../shared/signers/local-key-signer.js';
import type { Signer } from '../../shared/signers/signer.js';
import type { AttestationStore } from '../../shared/stores/store.js';
import { findTriggerEvent } from '../../shared/trigger-link.js';
import { githubSignature } from '../../shared/webhook-auth.js';

// From the repository root (mocha's cwd), so the compiled tests in dist/ find them too.
export const EXAMPLES = join(process.cwd(), 'examples/tep-0084');

export const REVISION = 'e15283f98e37663f9f7a6b1746b15373ca70d393';
export const SECRET = 'verify-test-secret';

// A signer and its public key written where --key can read it.
export interface TestKey {
  signer: LocalKeySigner;
  pubPath: string;
}

export async function tempDir(): Promise<{
  dir: string;
  cleanup: () => Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'verify-test-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function makeKey(dir: string, name: string): Promise<TestKey> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const signer = LocalKeySigner.fromPem(
    privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  );
  const pubPath = join(dir, `${name}.pub.pem`);
  await writeFile(pubPath, signer.publicKeyPem);
  return { signer, pubPath };
}

// The example PipelineRun with its TaskRuns (`inject-miner` for the variant with the inline task).
export function exampleInput(
  variant: 'trusted' | 'inject-miner' = 'trusted'
): RunInput {
  const dir = variant === 'trusted' ? EXAMPLES : join(EXAMPLES, 'inject-miner');
  if (!existsSync(join(dir, 'pipelinerun.json')))
    throw new Error(`missing example ${dir}`);
  const run = parseRunDocument(
    readFileSync(join(dir, 'pipelinerun.json'), 'utf8')
  );
  const taskRuns = parseTaskRunsDocument(
    readFileSync(join(dir, 'taskruns.json'), 'utf8')
  );
  return makeRunInput(run, taskRuns);
}

// The image digest the example PipelineRun reports (its IMAGE_DIGEST result), as hex.
export function imageHexOf(input: RunInput): string {
  const result = (input.run.status.results ?? []).find(
    (r) => r.name === 'IMAGE_DIGEST'
  );
  const value = result?.value;
  return typeof value === 'string' ? value.replace(/^sha256:/, '') : '';
}

// The trigger event id the run is labelled with (what signEvent must sign for the link to be found).
export function eventIdOf(input: RunInput): string {
  return (
    input.run.metadata.labels['triggers.tekton.dev/triggers-eventid'] ?? ''
  );
}

export function taskRunOf(input: RunInput, pipelineTask: string): TaskRun {
  const tr = input.taskRuns.find(
    (t) => t.metadata.labels['tekton.dev/pipelineTask'] === pipelineTask
  );
  if (!tr) throw new Error(`no TaskRun for ${pipelineTask}`);
  return tr;
}

// A GitHub push body naming a commit; the bytes are what the event attestation's subject digests.
export function pushBody(commit: string): Buffer {
  return Buffer.from(
    JSON.stringify(
      {
        ref: 'refs/heads/main',
        after: commit,
        head_commit: { id: commit },
        repository: { clone_url: 'https://github.com/acme/web.git' },
      },
      null,
      2
    )
  );
}

// Signs a push event through the interceptor's own code path (HMAC checked first).
export async function signEvent(
  store: AttestationStore,
  signer: Signer,
  eventId: string,
  body: Buffer
): Promise<void> {
  await signTriggerEvent(
    {
      body: body.toString('utf8'),
      header: {
        'X-Github-Event': ['push'],
        'X-Hub-Signature-256': [githubSignature(body, SECRET)],
        'Content-Type': ['application/json'],
      },
      interceptorParams: {},
      context: {
        eventId,
        triggerId: 'namespaces/ci/triggers/push-main',
        eventUrl: '/',
      },
    },
    {
      signer: () => Promise.resolve(signer),
      store: () => Promise.resolve(store),
      now: () => new Date('2026-05-04T10:19:59Z'),
      webhookSecret: SECRET,
      allowUnauthenticatedWebhooks: false,
    }
  );
}

// Attests a run as attestRun would: the trigger-event link found in the store, then every format.
export async function attest(
  store: AttestationStore,
  signer: Signer,
  input: RunInput,
  formats: Format[] = ['slsa/v0.2', 'slsa/v1.0', 'tekton'],
  embed = false
): Promise<string[]> {
  const triggerEvent = await findTriggerEvent(input.run, store, { embed });
  const options: BuildOptions = {
    builderId: 'https://tekton.dev/chains/v2',
    buildType: 'slsa-tekton',
    deepInspection: false,
    ...(triggerEvent && { triggerEvent }),
  };
  return (await attestInput(input, { signer, store, formats, options })).keys;
}

// The trusted example's image digest.
export const IMAGE_HEX = imageHexOf(exampleInput('trusted'));
