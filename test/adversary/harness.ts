// The adversary suite's setup: the real attestRun over the kube stand-in, the events Tekton would send it,
// and the real verifyDigest under the shipped policy (trigger.ts serves the real signEvent).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type request from 'supertest';
import type { ExampleEvent } from '../../scripts/example-events.js';
import { publicKeyEntry } from '../../shared/core/dsse.js';
import { FsStore } from '../../shared/stores/fs-store.js';
import { parsePolicy } from '../../shared/verify/policy.js';
import type { VerifyReport } from '../../shared/verify/report.js';
import { verifyDigest } from '../../shared/verify/verify-digest.js';
import { toV1beta1 } from '../stand-ins/kube-objects.js';
import {
  postEvent,
  startSink,
  type Json,
  type Sink,
} from '../functions/sink-harness.js';

export type { Json, Sink };
// Tests run from the repository root.
export const POLICY_FILE = 'examples/tep-0084/policy.yaml';

// One sink per suite (the demo's formats, env over them); every test starts with an empty store and cluster.
export function useSink(env: Record<string, string> = {}): { sink: Sink } {
  const scene = {} as { sink: Sink };
  before(async () => {
    scene.sink = await startSink({ FORMATS: 'slsa/v0.2,slsa/v1.0', ...env });
  });
  beforeEach(async () => {
    await scene.sink.clear();
    scene.sink.kube.setRuns([]);
  });
  after(() => scene.sink.close());
  return scene;
}

// The CloudEvent Tekton sends when run ends (binary mode, v1beta1 body); its type follows the Succeeded condition.
export function runEvent(run: Json): ExampleEvent {
  const kind = run.kind === 'TaskRun' ? 'taskrun' : 'pipelinerun';
  const succeeded = (run.status.conditions ?? []).find(
    (c: Json) => c.type === 'Succeeded'
  );
  const outcome = succeeded?.status === 'True' ? 'successful' : 'failed';
  const { name, namespace } = run.metadata;
  const key = kind === 'taskrun' ? 'taskRun' : 'pipelineRun';
  return {
    file: `${kind}-${name}`,
    headers: {
      'Ce-Id': randomUUID(),
      'Ce-Source': `/apis///namespaces/${namespace}//${name}`,
      'Ce-Specversion': '1.0',
      'Ce-Subject': name,
      'Ce-Time': '2026-05-04T10:21:36.481213Z',
      'Ce-Type': `dev.tekton.event.${kind}.${outcome}.v1`,
      'Content-Type': 'application/json',
    },
    body: Buffer.from(JSON.stringify({ [key]: toV1beta1(run) })),
  };
}

// Puts runs in the cluster, then sends each one's terminal event (TaskRuns first); the HTTP answers, in that order.
export async function deliver(
  sink: Sink,
  runs: Json[]
): Promise<request.Response[]> {
  runs.forEach((run) => sink.kube.upsert(run));
  const ordered = [
    ...runs.filter((r) => r.kind === 'TaskRun'),
    ...runs.filter((r) => r.kind !== 'TaskRun'),
  ];
  const answers: request.Response[] = [];
  for (const run of ordered) answers.push(await postEvent(sink, runEvent(run)));
  return answers;
}

// deliver, asserting that the sink answered 200 to every event.
export async function deliverOk(sink: Sink, runs: Json[]): Promise<void> {
  for (const res of await deliver(sink, runs))
    assert.equal(res.status, 200, JSON.stringify(res.body));
}

// verifyDigest of sha256:<hex> over the sink's store and key, under the shipped policy file.
export async function verify(sink: Sink, hex: string): Promise<VerifyReport> {
  const text = await readFile(POLICY_FILE, 'utf8');
  const { publicKeyPem } = await sink.signer();
  return verifyDigest(hex, {
    store: new FsStore(sink.dir),
    keys: [{ ...publicKeyEntry(publicKeyPem), source: 'sink' }],
    policy: parsePolicy(text, POLICY_FILE),
    now: new Date('2026-05-05T00:00:00Z'),
  });
}

// The codes of the failed checks.
export const failedCodes = (report: VerifyReport): string[] =>
  report.checks.filter((c) => !c.passed).map((c) => c.code ?? 'FAILED');

// The verdict is FAIL and names every one of codes.
export function assertFails(report: VerifyReport, ...codes: string[]): void {
  const failed = failedCodes(report);
  assert.equal(
    report.passed,
    false,
    `expected FAIL ${codes.join(', ')}, verify passed`
  );
  for (const code of codes)
    assert.ok(
      failed.includes(code),
      `expected ${code}, got ${failed.join(', ') || 'no failure'}`
    );
}

// The verdict is PASS.
export function assertPasses(report: VerifyReport): void {
  assert.deepEqual(failedCodes(report), [], 'expected PASS');
  assert.equal(report.passed, true);
}

// Store keys the report lists as ignored (allowedNamespaces): attestation entries with `ignored` set.
export const ignoredKeys = (report: VerifyReport): string[] =>
  report.attestations.filter((a) => (a as Json).ignored).map((a) => a.key);
