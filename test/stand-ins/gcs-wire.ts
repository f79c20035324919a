// Wire helpers of the GCS JSON API stand-in: object resources, multipart/related bodies, JSON replies.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { crc32c } from '../../shared/signers/crc32c.js';

export interface StoredObject {
  bytes: Buffer;
  contentType: string;
  metadata: Record<string, string>;
  generation: number;
}

export function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export function apiError(
  res: ServerResponse,
  status: number,
  message: string,
  reason = 'backendError'
) {
  json(res, status, {
    error: { code: status, message, errors: [{ reason, message }] },
  });
}

// The storage#object resource, with the md5Hash and crc32c the client validates uploads against.
export function resource(bucket: string, name: string, o: StoredObject) {
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32c(o.bytes));
  return {
    kind: 'storage#object',
    bucket,
    name,
    id: `${bucket}/${name}/${o.generation}`,
    generation: String(o.generation),
    metageneration: '1',
    size: String(o.bytes.length),
    contentType: o.contentType,
    metadata: o.metadata,
    md5Hash: createHash('md5').update(o.bytes).digest('base64'),
    crc32c: crc.toString('base64'),
  };
}

// multipart/related as the client sends it: a JSON metadata part, then the media part.
export function parseMultipart(
  body: Buffer,
  contentType: string
): [Record<string, unknown>, Buffer] {
  const boundary = /boundary="?([^";]+)"?/.exec(contentType)?.[1] ?? '';
  const delim = Buffer.from(`--${boundary}`);
  const parts: Buffer[] = [];
  let at = body.indexOf(delim);
  while (at >= 0) {
    const next = body.indexOf(delim, at + delim.length);
    if (next < 0) break;
    const part = body.subarray(at + delim.length, next);
    parts.push(part.subarray(part.indexOf('\r\n\r\n') + 4, part.length - 2));
    at = next;
  }
  const [meta, media] = parts;
  return [
    JSON.parse(meta?.toString() || '{}') as Record<string, unknown>,
    media ?? Buffer.alloc(0),
  ];
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
