// What a verifyImage request asks for: digests from an Artifact Registry notification or an attested signal
// (a Pub/Sub push, plain or as a CloudEvent), or one digest given over HTTP; EventError (400) otherwise.
import type { IncomingHttpHeaders } from 'node:http';
import { EventError } from '../shared/core/errors.js';
import { isObj, objAt, str, type Obj } from '../shared/verify/json.js';

export const PUBSUB_PUBLISHED = 'google.cloud.pubsub.topic.v1.messagePublished';
export const ATTESTED_SIGNAL = 'tekton-provenance.attested.v1';
// One attested run names a handful of images; more is not a notification we emit.
export const MAX_TARGETS = 32;

// One image to verify: its digest and, when the request names it, the repository (no tag, no digest).
export interface ImageTarget {
  hex: string;
  name?: string;
}

// `ignore`: a notification that asks for nothing (a deletion, a tag-only insert).
export type ImageRequest =
  | { kind: 'images'; targets: ImageTarget[]; source: string }
  | { kind: 'ignore'; reason: string };

function malformed(message: string): EventError {
  return new EventError('EVENT_MALFORMED', message);
}

const IMAGE =
  /^([a-z0-9][a-z0-9.-]*(?::\d+)?(?:\/[a-z0-9._-]+)+)@sha256:([0-9a-f]{64})$/;
const DIGEST = /^sha256:([0-9a-f]{64})$/;

// "host/path/image@sha256:<hex>" → target; undefined when it is not one.
export function parseImageRef(ref: string): ImageTarget | undefined {
  const m = IMAGE.exec(ref);
  return m?.[1] && m[2] ? { name: m[1], hex: m[2] } : undefined;
}

// The Pub/Sub message of a push body or of a messagePublished CloudEvent, if the request carries one.
function pubsubMessage(
  headers: IncomingHttpHeaders,
  body: Obj
): Obj | undefined {
  const ceType = headers['ce-type'];
  if (typeof ceType === 'string' || typeof body.specversion === 'string') {
    const type = typeof ceType === 'string' ? ceType : str(body.type);
    if (type !== PUBSUB_PUBLISHED)
      throw new EventError(
        'EVENT_UNSUPPORTED',
        `expected a ${PUBSUB_PUBLISHED} CloudEvent, got ${JSON.stringify(String(type).slice(0, 120))}`
      );
    const data = typeof ceType === 'string' ? body : body.data;
    return isObj(objAt(data, 'message')) ? objAt(data, 'message') : undefined;
  }
  return isObj(body.message) ? body.message : undefined;
}

function decodeData(message: Obj): Obj {
  const data = str(message.data);
  if (data === undefined)
    throw malformed('expected message.data (base64 JSON)');
  try {
    const doc: unknown = JSON.parse(
      Buffer.from(data, 'base64').toString('utf8')
    );
    if (isObj(doc)) return doc;
  } catch {
    // reported below
  }
  throw malformed('expected message.data to be base64 of a JSON object');
}

// tekton-provenance.attested.v1: every subject with a sha256 digest, named as the provenance names it.
function attestedTargets(doc: Obj): ImageTarget[] {
  const subjects: unknown[] = Array.isArray(doc.subjects) ? doc.subjects : [];
  return subjects.flatMap((s) => {
    const hex = str(objAt(s, 'digest').sha256);
    const name = isObj(s) ? str(s.name) : undefined;
    if (hex === undefined || !/^[0-9a-f]{64}$/.test(hex)) return [];
    return [
      name && parseImageRef(`${name}@sha256:${hex}`) ? { hex, name } : { hex },
    ];
  });
}

// An Artifact Registry notification ({"action","digest","tag"}) or an attested signal.
function fromMessage(doc: Obj): ImageRequest {
  if (doc.type === ATTESTED_SIGNAL)
    return {
      kind: 'images',
      targets: attestedTargets(doc),
      source: 'attested signal',
    };
  const action = str(doc.action);
  if (action === undefined)
    throw malformed(
      'expected an Artifact Registry notification or an attested signal'
    );
  if (action !== 'INSERT')
    return { kind: 'ignore', reason: `action ${action}` };
  const digest = str(doc.digest);
  if (digest === undefined)
    return { kind: 'ignore', reason: 'an insert without a digest' };
  const target = parseImageRef(digest);
  if (!target)
    throw malformed(
      `expected digest as IMAGE@sha256:<hex>, got ${JSON.stringify(digest.slice(0, 200))}`
    );
  return { kind: 'images', targets: [target], source: 'Artifact Registry' };
}

// A direct call: {"digest":"sha256:<hex>"} or {"image":"IMAGE@sha256:<hex>"}.
function fromDirect(body: Obj): ImageRequest {
  const image = str(body.image);
  const digest = str(body.digest);
  const hex = digest === undefined ? undefined : DIGEST.exec(digest)?.[1];
  const target = image
    ? parseImageRef(image)
    : hex === undefined
      ? undefined
      : { hex };
  if (!target)
    throw malformed(
      'expected {"digest":"sha256:<hex>"}, {"image":"IMAGE@sha256:<hex>"}, a Pub/Sub push or a CloudEvent'
    );
  return { kind: 'images', targets: [target], source: 'HTTP' };
}

// Parses the request body (already JSON-decoded by functions-framework).
export function parseVerifyImageRequest(
  headers: IncomingHttpHeaders,
  body: unknown
): ImageRequest {
  if (!isObj(body)) throw malformed('expected a JSON object body');
  const message = pubsubMessage(headers, body);
  const request = message ? fromMessage(decodeData(message)) : fromDirect(body);
  if (request.kind === 'images' && request.targets.length > MAX_TARGETS)
    throw malformed(
      `expected at most ${MAX_TARGETS} images, got ${request.targets.length}`
    );
  if (request.kind === 'images' && request.targets.length === 0)
    return { kind: 'ignore', reason: 'no image digest' };
  return request;
}
