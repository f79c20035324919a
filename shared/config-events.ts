// signEvent's settings: the webhook secret (inline or a file re-read on warm instances), the event types it
// signs, how it dedupes deliveries, and the key it signs events with.
import { DEFAULT_EVENT_TYPES, EVENT_TYPE_NAME } from './core/event-types.js';
import type { ConfigHost } from './config-kube.js';
import type { EnvReader } from './config-reader.js';
import { readSigner } from './config-sections.js';
import { DEDUPE_MODES, type DedupeMode } from './event-dedupe.js';
import { parseWebhookSecrets, SECRET_TEXT_FORMAT } from './webhook-secrets.js';

// Where the webhook secrets come from; never logged. `secrets` is what was read at start.
export type WebhookSecretSetting =
  | { source: 'env'; secrets: string[] }
  | { source: 'file'; path: string; secrets: string[]; refreshSeconds: number };

export interface EventSettings {
  webhookSecret: WebhookSecretSetting | undefined;
  eventTypes: string[];
  eventDedupe: DedupeMode;
  // EVENT_SIGNER; undefined: events are signed with SIGNER (warned when signEvent first signs).
  eventSigner: string | undefined;
}

// WEBHOOK_SECRET or WEBHOOK_SECRET_FILE (one of them); a blank secret is refused, never echoed in a problem.
function readWebhookSecret(
  r: EnvReader,
  host: ConfigHost
): WebhookSecretSetting | undefined {
  const inline = r.env.WEBHOOK_SECRET;
  const file = r.str('WEBHOOK_SECRET_FILE');
  const refreshSeconds = r.int('WEBHOOK_SECRET_REFRESH_SECONDS', 30, 0, 3600);
  if (inline !== undefined && inline !== '' && file !== undefined) {
    r.invalid(
      'WEBHOOK_SECRET_FILE',
      'either WEBHOOK_SECRET or WEBHOOK_SECRET_FILE, not both'
    );
    return undefined;
  }
  if (file === undefined) {
    if (inline === undefined || inline === '') return undefined;
    const secrets = parseWebhookSecrets(inline);
    if (secrets === undefined) r.invalid('WEBHOOK_SECRET', SECRET_TEXT_FORMAT);
    return secrets && { source: 'env', secrets };
  }
  const secrets = host.exists(file)
    ? parseWebhookSecrets(host.readText(file))
    : undefined;
  if (secrets === undefined)
    r.invalid(
      'WEBHOOK_SECRET_FILE',
      `a readable file of ${SECRET_TEXT_FORMAT}`,
      file
    );
  return secrets && { source: 'file', path: file, secrets, refreshSeconds };
}

// EVENT_TYPES: a comma list of X-GitHub-Event values (or `tag`), de-duplicated; default push,pull_request,release,tag.
function readEventTypes(r: EnvReader): string[] {
  const text = r.str('EVENT_TYPES');
  if (text === undefined) return [...DEFAULT_EVENT_TYPES];
  const types = [
    ...new Set(
      text
        .split(',')
        .map((t) => t.trim())
        .filter((t) => t !== '')
    ),
  ];
  for (const t of types.filter((t) => !EVENT_TYPE_NAME.test(t)))
    r.invalid(
      'EVENT_TYPES',
      'GitHub event names such as push or pull_request',
      t
    );
  if (types.length === 0)
    r.invalid('EVENT_TYPES', 'at least one event type', text);
  return types.length === 0 ? [...DEFAULT_EVENT_TYPES] : types;
}

// Reads the signEvent settings (problems collected in r).
export function readEventSettings(
  r: EnvReader,
  host: ConfigHost
): EventSettings {
  return {
    webhookSecret: readWebhookSecret(r, host),
    eventTypes: readEventTypes(r),
    eventDedupe: r.oneOf('EVENT_DEDUPE', DEDUPE_MODES, 'body'),
    eventSigner: readSigner(r, 'EVENT_SIGNER'),
  };
}
