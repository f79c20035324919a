// GcsBucket over the GCS JSON API on node:https with google-auth-library's credentials: what the first event
// needs without loading @google-cloud/storage (docs/benchmark.md). Same wire calls as the client with
// resumable: false: multipart upload with ifGenerationMatch=0, alt=media download, metadata GET, paged list.
// https://cloud.google.com/storage/docs/json_api/v1/objects
import { createHash, randomBytes } from 'node:crypto';
import { authHeadersFor } from '../http/adc.js';
import { httpRequest, type HttpReply } from '../http/request.js';
import type { GcsBucket } from './gcs-bucket.js';
import type { ObjectMetadata } from './store.js';

export const GCS_URL = 'https://storage.googleapis.com';
const READ_WRITE = 'https://www.googleapis.com/auth/devstorage.read_write';

// A failed call; `code` is the HTTP status, or a string for an integrity failure (never retried).
export class GcsApiError extends Error {
  constructor(
    readonly code: number | string,
    message: string
  ) {
    super(message);
  }
}

// One envelope is uploaded under several keys: its MD5 is computed once per buffer.
const md5s = new WeakMap<Buffer, string>();
function md5(bytes: Buffer): string {
  let hash = md5s.get(bytes);
  if (hash === undefined) {
    hash = createHash('md5').update(bytes).digest('base64');
    md5s.set(bytes, hash);
  }
  return hash;
}

// GCS's JSON error ({error: {code, message}}) as the client reports it: code = HTTP status.
function apiError(reply: HttpReply): GcsApiError {
  const text = reply.body.toString();
  let message = text.slice(0, 200);
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } };
    if (typeof parsed.error?.message === 'string')
      message = parsed.error.message;
  } catch {
    // not JSON: keep the text
  }
  return new GcsApiError(reply.status, message || `HTTP ${reply.status}`);
}

// The md5= part of an x-goog-hash header (crc32c=…,md5=…).
function md5Of(header: string | string[] | undefined): string | undefined {
  const all = Array.isArray(header) ? header.join(',') : (header ?? '');
  return /(?:^|,)\s*md5=([^,]+)/.exec(all)?.[1];
}

export interface JsonApiBucketOptions {
  // GCS_URL (ADC credentials), or an emulator / stand-in on plain http (no credentials).
  base?: string;
  // Per request; GcsStore's deadline bounds the attempts as a whole.
  timeoutMs?: number;
}

export class JsonApiBucket implements GcsBucket {
  private readonly base: string;
  private readonly timeoutMs: number;
  private readonly headers: () => Promise<Record<string, string>>;

  constructor(
    readonly name: string,
    opts: JsonApiBucketOptions = {}
  ) {
    this.base = (opts.base ?? GCS_URL).replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.headers = authHeadersFor(this.base, READ_WRITE);
  }

  private async call(
    method: 'GET' | 'POST',
    path: string,
    extra: Record<string, string> = {},
    body?: Buffer
  ): Promise<HttpReply> {
    const headers = { ...(await this.headers()), ...extra };
    return httpRequest(new URL(this.base + path), {
      method,
      headers,
      timeoutMs: this.timeoutMs,
      ...(body ? { body } : {}),
    });
  }

  private objectPath(name: string, query: string): string {
    return `/storage/v1/b/${encodeURIComponent(this.name)}/o/${encodeURIComponent(name)}?${query}`;
  }

  // md5Hash in the metadata makes GCS refuse a body that arrived altered (400); the reply's is checked too.
  async create(
    name: string,
    bytes: Buffer,
    contentType: string,
    metadata: ObjectMetadata
  ): Promise<void> {
    const hash = md5(bytes);
    // The name goes in the query, as @google-cloud/storage sends it; the metadata part carries the rest.
    const resource = JSON.stringify({
      contentType,
      metadata,
      md5Hash: hash,
    });
    const boundary = `tekton-provenance-${randomBytes(12).toString('hex')}`;
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\ncontent-type: application/json; charset=UTF-8\r\n\r\n${resource}\r\n` +
          `--${boundary}\r\ncontent-type: ${contentType}\r\n\r\n`
      ),
      bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const query = new URLSearchParams({
      uploadType: 'multipart',
      ifGenerationMatch: '0',
      name,
    });
    const reply = await this.call(
      'POST',
      `/upload/storage/v1/b/${encodeURIComponent(this.name)}/o?${query.toString()}`,
      { 'content-type': `multipart/related; boundary=${boundary}` },
      body
    );
    if (reply.status !== 200) throw apiError(reply);
    const stored = (JSON.parse(reply.body.toString()) as { md5Hash?: unknown })
      .md5Hash;
    if (stored !== hash)
      throw new GcsApiError(
        'MD5_MISMATCH',
        `GCS reports MD5 ${String(stored)} for gs://${this.name}/${name}, expected ${hash}`
      );
  }

  async exists(name: string): Promise<boolean> {
    const reply = await this.call('GET', this.objectPath(name, 'fields=name'));
    if (reply.status === 404) return false;
    if (reply.status !== 200) throw apiError(reply);
    return true;
  }

  async download(name: string): Promise<Buffer> {
    const reply = await this.call('GET', this.objectPath(name, 'alt=media'));
    if (reply.status !== 200) throw apiError(reply);
    const expected = md5Of(reply.headers['x-goog-hash']);
    if (
      expected !== undefined &&
      expected !== createHash('md5').update(reply.body).digest('base64')
    )
      throw new GcsApiError(
        'CONTENT_DOWNLOAD_MISMATCH',
        `gs://${this.name}/${name}: downloaded bytes do not match the MD5 GCS reports`
      );
    return reply.body;
  }

  async listPage(prefix: string, pageToken?: string) {
    const query = new URLSearchParams({
      prefix,
      fields: 'items(name),nextPageToken',
      ...(pageToken ? { pageToken } : {}),
    });
    const reply = await this.call(
      'GET',
      `/storage/v1/b/${encodeURIComponent(this.name)}/o?${query.toString()}`
    );
    if (reply.status !== 200) throw apiError(reply);
    const page = JSON.parse(reply.body.toString()) as {
      items?: { name?: unknown }[];
      nextPageToken?: unknown;
    };
    const names = (page.items ?? [])
      .map((i) => i.name)
      .filter((n): n is string => typeof n === 'string');
    const next = page.nextPageToken;
    return {
      names,
      ...(typeof next === 'string' && next ? { nextPageToken: next } : {}),
    };
  }
}
