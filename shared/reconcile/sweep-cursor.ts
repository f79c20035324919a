// Where a sweep stands, carried between calls as an opaque continue token.
import { EventError } from '../core/errors.js';

// The run kinds in sweep order.
export const SWEEP_KINDS = ['taskrun', 'pipelinerun'] as const;

export interface SweepCursor {
  // Window start (ms since the epoch), fixed by the first call so every page uses the same window.
  since: number;
  // Empty: every namespace.
  namespaces: string[];
  // Index into SWEEP_KINDS and into namespaces (0 for a cluster-wide list).
  kind: number;
  scope: number;
  // The Kubernetes continue token of the current page (absent: its first page) and how many of its items are done.
  page?: string;
  offset: number;
  limit: number;
  // "namespace/name" of the last run done in this scope, and whether the list restarted after an expired
  // continue token (410) and is skipping, unexamined, the runs up to `after` (lists come in key order).
  after?: string;
  catchUp?: true;
}

const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

// base64url of the cursor as JSON; not a secret, only a position.
export function encodeCursor(cursor: SweepCursor): string {
  return Buffer.from(JSON.stringify({ v: 1, ...cursor })).toString('base64url');
}

function isIndex(value: unknown, max: number): value is number {
  return (
    Number.isSafeInteger(value) &&
    (value as number) >= 0 &&
    (value as number) <= max
  );
}

function isCursor(c: Record<string, unknown>): boolean {
  const namespaces = c.namespaces;
  return (
    c.v === 1 &&
    Number.isSafeInteger(c.since) &&
    Array.isArray(namespaces) &&
    namespaces.every((ns) => typeof ns === 'string' && NAMESPACE.test(ns)) &&
    isIndex(c.kind, SWEEP_KINDS.length) &&
    isIndex(c.scope, Math.max(namespaces.length, 1)) &&
    (c.page === undefined || typeof c.page === 'string') &&
    (c.after === undefined || typeof c.after === 'string') &&
    (c.catchUp === undefined || c.catchUp === true) &&
    isIndex(c.offset, 1e9) &&
    isIndex(c.limit, 1e5) &&
    c.limit > 0
  );
}

// Reads a token made by encodeCursor; anything else is a malformed request (HTTP 400, exit 2).
export function decodeCursor(token: string): SweepCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const c = parsed as Record<string, unknown> | undefined;
  if (typeof c !== 'object' || c === null || !isCursor(c)) {
    throw new EventError(
      'EVENT_MALFORMED',
      'expected a continue token from an earlier reconcile report, got something else'
    );
  }
  const { since, namespaces, kind, scope, offset, limit } =
    c as unknown as SweepCursor;
  const { page, after, catchUp } = c as Partial<SweepCursor>;
  return {
    ...{ since, namespaces, kind, scope, offset, limit },
    ...(page === undefined ? {} : { page }),
    ...(after === undefined ? {} : { after }),
    ...(catchUp ? { catchUp } : {}),
  };
}

// "namespace/name": the order of the API server's lists (etcd key order).
export function keyOf(raw: unknown): string {
  const meta = (raw as { metadata?: { namespace?: unknown; name?: unknown } })
    ?.metadata;
  return `${String(meta?.namespace)}/${String(meta?.name)}`;
}

// The continue token expired (410): the list starts over and skips, unexamined, what was done before.
export function restartScope(cursor: SweepCursor): void {
  delete cursor.page;
  cursor.offset = 0;
  if (cursor.after !== undefined) cursor.catchUp = true;
}

// Skips the leading runs up to `after`; catching up ends at the first run past it.
export function catchUp(cursor: SweepCursor, items: unknown[]): void {
  const after = cursor.after ?? '';
  let done = 0;
  while (done < items.length && keyOf(items[done]) <= after) done++;
  cursor.offset = Math.max(cursor.offset, done);
  if (done < items.length) delete cursor.catchUp;
}
