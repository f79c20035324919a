// The GitHub webhook secrets signEvent accepts: one, or two while a rotation is under way (the file holds
// the new secret on its first line and the old one on its second). WEBHOOK_SECRET_FILE is re-read on warm
// instances, so a rotation takes effect without a restart; a file that turns unusable fails closed.
import { readFile } from 'node:fs/promises';
import { ConfigError } from './core/errors.js';

// What a secret file (or WEBHOOK_SECRET) must hold, for problem messages (never the value).
export const SECRET_TEXT_FORMAT =
  'one or two non-blank secrets, one per line (the current one first)';

// The secrets in text, or undefined when there is none, a blank one or more than two. Only the trailing
// newlines are dropped: every other byte, spaces included, is part of a secret, as GitHub uses it.
export function parseWebhookSecrets(text: string): string[] | undefined {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0 || lines.length > 2) return undefined;
  return lines.every((line) => line.trim() !== '') ? lines : undefined;
}

// Where authentication gets the accepted secrets, once per request.
export interface WebhookSecretSource {
  secrets(): Promise<readonly string[]>;
}

// Test hooks: the clock and the file read.
export interface FileSecretOptions {
  now?: () => number;
  read?: (path: string) => Promise<string>;
}

// WEBHOOK_SECRET_FILE, re-read when the secrets in hand are older than refreshMs (0: every request).
// A read that fails or finds no usable secret throws ConfigError and forgets the old secrets (fail closed);
// the next request reads again. Concurrent requests share one read.
export class FileSecretSource implements WebhookSecretSource {
  private cached: { secrets: string[]; at: number } | undefined;
  private pending: Promise<string[]> | undefined;
  private readonly now: () => number;
  private readonly read: (path: string) => Promise<string>;

  constructor(
    readonly path: string,
    readonly refreshMs: number,
    initial?: string[],
    opts: FileSecretOptions = {}
  ) {
    this.now = opts.now ?? Date.now;
    this.read = opts.read ?? ((p) => readFile(p, 'utf8'));
    if (initial !== undefined)
      this.cached = { secrets: initial, at: this.now() };
  }

  secrets(): Promise<readonly string[]> {
    const held = this.cached;
    if (held !== undefined && this.now() - held.at < this.refreshMs)
      return Promise.resolve(held.secrets);
    this.pending ??= this.reload().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async reload(): Promise<string[]> {
    this.cached = undefined;
    const text = await this.read(this.path).catch(
      (err: NodeJS.ErrnoException) => {
        throw new ConfigError(
          'CONFIG_INVALID',
          `expected a readable WEBHOOK_SECRET_FILE, got ${err.code ?? 'an error'}; every delivery is refused until it is`,
          { cause: err }
        );
      }
    );
    const secrets = parseWebhookSecrets(text);
    if (secrets === undefined)
      throw new ConfigError(
        'CONFIG_INVALID',
        `expected WEBHOOK_SECRET_FILE to hold ${SECRET_TEXT_FORMAT}, got none usable; every delivery is refused until it does`
      );
    this.cached = { secrets, at: this.now() };
    return secrets;
  }
}
