// A batch of finished TaskRuns and PipelineRuns, their CloudEvents as Tekton sends them, and a redelivering sender.
import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { decodePayload, preAuthEncoding } from '../../shared/core/dsse.js';
import type { Envelope } from '../../shared/core/types.js';
import { makePipeline, makeTaskRun } from '../reconcile/runs.js';
import type { Reply, Sent } from './harness.js';

type Run = Record<string, unknown> & {
  kind: string;
  metadata: { name: string; namespace: string; uid: string };
};

// `taskRuns` standalone TaskRuns and `pipelines` PipelineRuns of `tasks` tasks each, finished a minute ago.
export function makeRuns(
  taskRuns: number,
  pipelines: number,
  tasks = 3,
  prefix = 'rel'
): Run[] {
  const completedAt = new Date(Date.now() - 60_000);
  return [
    ...Array.from({ length: taskRuns }, (_, i) =>
      makeTaskRun(`${prefix}-tr-${i}`, { completedAt })
    ),
    ...Array.from({ length: pipelines }, (_, i) =>
      makePipeline(`${prefix}-pl-${i}`, tasks, { completedAt })
    ).flat(),
  ] as Run[];
}

// Header values must be printable ASCII (hostile names carry NUL or unicode).
const ascii = (s: string) => s.replace(/[^\x20-\x7e]/g, '?');

// The binary-mode CloudEvent Tekton sends when `run` finishes (v1beta1-style data wrapper).
export function eventFor(run: Run, id = `ev-${run.metadata.uid}`): Sent {
  const kind = run.kind === 'PipelineRun' ? 'pipelinerun' : 'taskrun';
  return {
    headers: {
      'content-type': 'application/json',
      'ce-specversion': '1.0',
      'ce-id': ascii(id),
      'ce-type': `dev.tekton.event.${kind}.successful.v1`,
      'ce-source': ascii(
        `/apis///namespaces/${run.metadata.namespace}//${run.metadata.name}`
      ),
      'ce-subject': ascii(run.metadata.name),
    },
    body: Buffer.from(
      JSON.stringify({ [kind === 'taskrun' ? 'taskRun' : 'pipelineRun']: run })
    ),
  };
}

// Statuses Tekton's sender retries (reference/tekton.md): everything else ends the delivery.
const RETRIED = new Set([404, 413, 425, 429, 502, 503, 504]);

// Delivers like Tekton: retries retried statuses and connection errors, `attempts` times with a short backoff.
export async function deliver(
  send: (req: Sent) => Promise<Reply>,
  req: Sent,
  attempts = 6,
  backoffMs = 20
): Promise<{ reply: Reply | undefined; tries: number }> {
  let reply: Reply | undefined;
  for (let tries = 1; tries <= attempts; tries++) {
    reply = await send(req).catch(() => undefined);
    if (reply && !RETRIED.has(reply.status)) return { reply, tries };
    await new Promise((r) => setTimeout(r, backoffMs * tries));
  }
  return { reply, tries: attempts };
}

// The union of the keys every final delivery stored; each one must have been answered 200.
export function storedKeysOf(
  final: readonly { reply: Reply | undefined }[]
): Set<string> {
  const stored = new Set<string>();
  for (const { reply } of final) {
    assert.equal(reply?.status, 200, reply?.body.toString());
    for (const k of (JSON.parse(reply.body.toString()) as { stored: string[] })
      .stored)
      stored.add(k);
  }
  return stored;
}

// The runs missing a runs/… key for any of the format tokens (e.g. slsa-v0.2) among keys.
export function lostRuns(
  runs: readonly Run[],
  keys: readonly string[],
  formats: readonly string[]
): Run[] {
  const attested = (r: Run, f: string) =>
    keys.some(
      (k) =>
        k.startsWith('runs/') &&
        k.includes(r.metadata.uid) &&
        k.endsWith(`/${f}.dsse.json`)
    );
  return runs.filter((r) => formats.some((f) => !attested(r, f)));
}

// ECDSA P-256 over the DSSE PAE, checked with node:crypto against a PEM public key.
export function envelopeVerifies(env: Envelope, publicKeyPem: string): boolean {
  const sig = Buffer.from(env.signatures[0]?.sig ?? '', 'base64');
  const pae = preAuthEncoding(env.payloadType, decodePayload(env));
  return verify('sha256', pae, createPublicKey(publicKeyPem), sig);
}

// A seeded PRNG (mulberry32) so fault schedules replay.
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// A copy of items in a seeded random order.
export function shuffled<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export type { Run };
