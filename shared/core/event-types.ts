// Which GitHub webhook events signEvent signs (EVENT_TYPES). Entries are X-GitHub-Event values, plus `tag`:
// GitHub has no `tag` event, it sends a tag as `push` (ref refs/tags/…) and `create` (ref_type "tag").
// https://docs.github.com/en/webhooks/webhook-events-and-payloads
import { EventError } from './errors.js';

// The default allowlist.
export const DEFAULT_EVENT_TYPES = [
  'push',
  'pull_request',
  'release',
  'tag',
] as const;

// X-GitHub-Event values are lower-case words with underscores.
export const EVENT_TYPE_NAME = /^[a-z][a-z0-9_]{0,63}$/;

function field(body: unknown, name: string): unknown {
  return typeof body === 'object' && body !== null
    ? (body as Record<string, unknown>)[name]
    : undefined;
}

// A push of refs/tags/* or the creation of a tag (read from the body, which the HMAC covers).
export function isTagEvent(type: string, body: unknown): boolean {
  if (type === 'push') {
    const ref = field(body, 'ref');
    return typeof ref === 'string' && ref.startsWith('refs/tags/');
  }
  return type === 'create' && field(body, 'ref_type') === 'tag';
}

// Throws EventError EVENT_UNSUPPORTED unless the event type (X-GitHub-Event) is allowed; the body is
// parsed (lazily) only to tell a tag from a branch.
export function checkEventType(
  allowed: readonly string[],
  type: string | undefined,
  body: () => unknown
): void {
  // `tag` is ours, not GitHub's: a header claiming it is never taken at its word.
  if (type !== undefined && type !== 'tag' && allowed.includes(type)) return;
  const tagLike = type === 'push' || type === 'create';
  if (tagLike && allowed.includes('tag') && isTagEvent(type, body())) return;
  const got =
    type === undefined
      ? 'no X-GitHub-Event header'
      : JSON.stringify(type.slice(0, 64));
  throw new EventError(
    'EVENT_UNSUPPORTED',
    `expected an X-GitHub-Event of ${allowed.join(', ')} (EVENT_TYPES), got ${got}; nothing signed`
  );
}
