// GitHub webhook authentication: X-Hub-Signature-256 = "sha256=" + hex HMAC-SHA256(secret, exact body bytes).
// https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ConfigError, WebhookError } from './core/errors.js';
import type { EventAuthentication } from './core/trigger-event.js';
import type { WebhookSecretSource } from './webhook-secrets.js';

export const GITHUB_SIGNATURE_HEADER = 'X-Hub-Signature-256';
const SIGNATURE = /^sha256=([0-9a-fA-F]{64})$/;

// First value of a header, matched case-insensitively (Triggers sends Go-canonical names with array values).
export function headerValue(
  headers: Readonly<Record<string, unknown>>,
  name: string
): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted) continue;
    const first: unknown = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') return first;
  }
  return undefined;
}

// The header value GitHub would send for body and secret (tests, examples and the demo use it).
export function githubSignature(body: Buffer, secret: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

// Throws WebhookError unless the header carries the HMAC of exactly these bytes under one of the secrets
// (two during a rotation); every secret is compared, each in constant time.
export function verifyGithubSignature(
  body: Buffer,
  headers: Readonly<Record<string, unknown>>,
  secret: Buffer | string | readonly (Buffer | string)[]
): void {
  const header = headerValue(headers, GITHUB_SIGNATURE_HEADER);
  if (header === undefined || header.trim() === '') {
    throw new WebhookError(
      'WEBHOOK_SIGNATURE_MISSING',
      `expected an ${GITHUB_SIGNATURE_HEADER} header, got none`
    );
  }
  const hex = SIGNATURE.exec(header.trim())?.[1];
  if (hex === undefined) {
    throw new WebhookError(
      'WEBHOOK_SIGNATURE_INVALID',
      `expected ${GITHUB_SIGNATURE_HEADER} of the form sha256=<64 hex>, got a malformed value`
    );
  }
  const given = Buffer.from(hex, 'hex');
  const secrets = Array.isArray(secret) ? secret : [secret];
  // Both are 32 bytes here, so timingSafeEqual never throws and the compare is constant-time; map (not
  // some) so the time does not tell which secret matched.
  const matches = secrets.map((s: Buffer | string) =>
    timingSafeEqual(given, createHmac('sha256', s).update(body).digest())
  );
  if (!matches.includes(true)) {
    throw new WebhookError(
      'WEBHOOK_SIGNATURE_INVALID',
      `expected ${GITHUB_SIGNATURE_HEADER} to match the HMAC-SHA256 of the body, got a different signature`
    );
  }
}

// A fixed secret, one or two fixed secrets, or a source read per request (WEBHOOK_SECRET_FILE).
export type WebhookSecret = string | readonly string[] | WebhookSecretSource;

// The webhook settings of Config that authentication needs.
export interface WebhookAuthSettings {
  webhookSecret: WebhookSecret | undefined;
  allowUnauthenticatedWebhooks: boolean;
}

// The secrets to check now; none, or a blank one, fails closed (never "no secret").
async function currentSecrets(secret: WebhookSecret): Promise<string[]> {
  const list =
    typeof secret === 'string'
      ? [secret]
      : 'secrets' in secret
        ? await secret.secrets()
        : secret;
  if (list.length === 0 || list.some((s) => s.trim() === ''))
    throw new ConfigError(
      'CONFIG_INVALID',
      'expected a non-blank webhook secret, got a blank one; every delivery is refused'
    );
  return [...list];
}

// Verifies when a secret is configured (even if unauthenticated use is allowed); otherwise only
// ALLOW_UNAUTHENTICATED_WEBHOOKS=true lets the event through, recorded as unauthenticated.
export async function authenticateWebhook(
  body: Buffer,
  headers: Readonly<Record<string, unknown>>,
  settings: WebhookAuthSettings
): Promise<EventAuthentication> {
  if (settings.webhookSecret !== undefined) {
    const secrets = await currentSecrets(settings.webhookSecret);
    verifyGithubSignature(body, headers, secrets);
    return { method: 'github-hmac-sha256', result: 'verified' };
  }
  if (settings.allowUnauthenticatedWebhooks) {
    return { method: 'none', result: 'unauthenticated-local' };
  }
  throw new ConfigError(
    'CONFIG_MISSING',
    'expected a webhook secret (WEBHOOK_SECRET or WEBHOOK_SECRET_FILE), got none; set ALLOW_UNAUTHENTICATED_WEBHOOKS=true only for local use'
  );
}
