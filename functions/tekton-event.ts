// Turns an HTTP request into a Tekton CloudEvent (binary or structured mode) and says which run it names.
import type { IncomingHttpHeaders } from 'node:http';
import type * as CloudEvents from 'cloudevents';
import { EventError } from '../shared/core/errors.js';
import type { RunKind } from '../shared/core/layout.js';
import type { RunRef } from '../shared/kube/run-source.js';

// https://github.com/tektoncd/pipeline/blob/main/pkg/reconciler/events/cloudevent/cloudevent.go
const KNOWN =
  /^dev\.tekton\.event\.(taskrun|pipelinerun|customrun)\.(queued|started|running|unknown|successful|failed)\.v1$/;
const TERMINAL =
  /^dev\.tekton\.event\.(taskrun|pipelinerun)\.(successful|failed)\.v1$/;
const NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const UID = /^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/;
const DATA_KEY = { taskrun: 'taskRun', pipelinerun: 'pipelineRun' } as const;

export interface TektonEvent {
  id: string;
  type: string;
  // Only terminal TaskRun/PipelineRun events name a run to attest.
  terminal?: { ref: RunRef; object: unknown };
}

export interface HttpRequestLike {
  headers: IncomingHttpHeaders;
  body: unknown;
  rawBody?: Buffer;
}

let sdk: Promise<typeof CloudEvents> | undefined;

function malformed(message: string, cause?: unknown): EventError {
  return new EventError(
    'EVENT_MALFORMED',
    message,
    cause === undefined ? undefined : { cause }
  );
}

function bodySize(req: HttpRequestLike): number {
  if (req.rawBody) return req.rawBody.length;
  const declared = Number(req.headers['content-length']);
  return Number.isFinite(declared) ? declared : 0;
}

// A body that reached us as text or bytes may still be JSON (e.g. a missing content type).
function asObject(data: unknown): unknown {
  if (typeof data !== 'string' && !Buffer.isBuffer(data)) return data;
  try {
    return JSON.parse(data.toString()) as unknown;
  } catch (err) {
    throw malformed('expected JSON event data, got unparseable text', err);
  }
}

function refOf(kind: RunKind, data: unknown): { ref: RunRef; object: unknown } {
  const object = (data as Record<string, unknown> | null)?.[DATA_KEY[kind]];
  const meta = (object as { metadata?: Record<string, unknown> } | undefined)
    ?.metadata;
  const { name, namespace, uid } = meta ?? {};
  if (typeof object !== 'object' || object === null || !meta) {
    throw malformed(
      `expected data.${DATA_KEY[kind]} with metadata, got ${data === null || typeof data !== 'object' ? typeof data : 'an object without it'}`
    );
  }
  if (typeof namespace !== 'string' || !NAME.test(namespace))
    throw malformed(
      `expected data.${DATA_KEY[kind]}.metadata.namespace to be a namespace name`
    );
  if (typeof name !== 'string' || !NAME.test(name))
    throw malformed(
      `expected data.${DATA_KEY[kind]}.metadata.name to be a run name`
    );
  if (typeof uid !== 'string' || !UID.test(uid))
    throw malformed(`expected data.${DATA_KEY[kind]}.metadata.uid to be a uid`);
  return { ref: { kind, namespace, name, uid }, object };
}

// The one CloudEvent of the request (binary or structured mode); EventError when there is not exactly one.
async function toCloudEvent(req: HttpRequestLike) {
  const { HTTP } = await (sdk ??= import('cloudevents'));
  let parsed;
  try {
    parsed = HTTP.toEvent({ headers: req.headers, body: req.body });
  } catch (err) {
    throw malformed(
      `expected a CloudEvent (binary or structured mode), got ${err instanceof Error ? err.message.split('\n')[0] : 'something else'}`,
      err
    );
  }
  if (Array.isArray(parsed))
    throw malformed('expected one CloudEvent, got a batch');
  return parsed;
}

// EventError (400) for anything that is not a well-formed Tekton run event within maxBodyBytes.
export async function parseTektonEvent(
  req: HttpRequestLike,
  maxBodyBytes: number
): Promise<TektonEvent> {
  const size = bodySize(req);
  if (size > maxBodyBytes) {
    throw new EventError(
      'EVENT_TOO_LARGE',
      `expected a body of at most ${maxBodyBytes} bytes, got ${size}`
    );
  }
  const parsed = await toCloudEvent(req);
  const { id, type, source } = parsed;
  for (const [attr, value] of [
    ['id', id],
    ['type', type],
    ['source', source],
  ] as const) {
    if (typeof value !== 'string' || value === '')
      throw malformed(`expected a non-empty ce-${attr}`);
  }
  if (!KNOWN.test(type)) {
    throw new EventError(
      'EVENT_UNSUPPORTED',
      `expected a dev.tekton.event.{taskrun,pipelinerun,customrun}.*.v1 type, got ${JSON.stringify(type.slice(0, 120))}`
    );
  }
  const terminal = TERMINAL.exec(type);
  if (!terminal) return { id, type };
  return {
    id,
    type,
    terminal: refOf(terminal[1] as RunKind, asObject(parsed.data)),
  };
}
