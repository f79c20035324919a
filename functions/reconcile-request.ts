// The reconcile request body: `{}` or `{"window":"6h","namespaces":[…],"continue":"…"}`.
import { parseDurationSeconds } from '../shared/config-reader.js';
import { EventError } from '../shared/core/errors.js';

export interface ReconcileRequest {
  windowSeconds?: number;
  namespaces?: string[];
  continue?: string;
}

const KEYS = new Set(['window', 'namespaces', 'continue']);
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

function malformed(message: string): EventError {
  return new EventError('EVENT_MALFORMED', message);
}

// Empty bodies (Cloud Scheduler without a body, or a non-JSON content type) read as `{}`.
function asObject(body: unknown): Record<string, unknown> {
  let value = body;
  if (Buffer.isBuffer(value)) value = value.toString('utf8');
  if (typeof value === 'string') {
    if (value.trim() === '') return {};
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      throw malformed('expected a JSON object body, got invalid JSON');
    }
  }
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw malformed(
      `expected a JSON object body, got ${Array.isArray(value) ? 'an array' : typeof value}`
    );
  }
  return value as Record<string, unknown>;
}

function readWindow(value: unknown): number {
  const seconds =
    typeof value === 'string' ? parseDurationSeconds(value) : undefined;
  if (seconds === undefined || seconds <= 0) {
    throw malformed(
      `expected "window" as a positive duration such as 90m, 6h or 2d, got ${JSON.stringify(value)}`
    );
  }
  return seconds;
}

function readNamespaces(value: unknown): string[] {
  const ok =
    Array.isArray(value) &&
    value.every((ns) => typeof ns === 'string' && NAMESPACE.test(ns));
  if (!ok)
    throw malformed('expected "namespaces" as an array of namespace names');
  return value as string[];
}

// Validates the body; unknown fields are refused so that a typo does not silently sweep everything.
export function parseReconcileRequest(body: unknown): ReconcileRequest {
  const obj = asObject(body);
  const unknown = Object.keys(obj).filter((k) => !KEYS.has(k));
  if (unknown.length > 0) {
    throw malformed(
      `expected only window, namespaces and continue, got ${unknown.map((k) => JSON.stringify(k)).join(', ')}`
    );
  }
  const request: ReconcileRequest = {};
  if (obj.window !== undefined) request.windowSeconds = readWindow(obj.window);
  if (obj.namespaces !== undefined)
    request.namespaces = readNamespaces(obj.namespaces);
  if (obj.continue !== undefined) {
    if (typeof obj.continue !== 'string' || obj.continue === '')
      throw malformed('expected "continue" as the token of an earlier report');
    request.continue = obj.continue;
  }
  return request;
}
