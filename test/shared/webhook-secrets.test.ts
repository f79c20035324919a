// The webhook secrets: parsing (one or two, never blank), re-reading on warm instances, constant-time
// comparison against each.
import assert from 'node:assert/strict';
import { ConfigError, WebhookError } from '../../shared/core/errors.js';
import {
  authenticateWebhook,
  githubSignature,
  verifyGithubSignature,
} from '../../shared/webhook-auth.js';
import {
  FileSecretSource,
  parseWebhookSecrets,
} from '../../shared/webhook-secrets.js';

const BODY = Buffer.from('{"ref":"refs/heads/main"}');
const signed = (secret: string) => ({
  'X-Hub-Signature-256': [githubSignature(BODY, secret)],
});

describe('shared/webhook-secrets', () => {
  it('table: parses one or two non-blank secrets, keeping every byte but the trailing newlines', () => {
    const cases: [string, string[] | undefined][] = [
      ['s3cret', ['s3cret']],
      ['s3cret\n', ['s3cret']],
      ['s3cret\r\n\n', ['s3cret']],
      ['new\nold\n', ['new', 'old']],
      [' spaced secret ', [' spaced secret ']],
      ['', undefined],
      ['   ', undefined],
      ['\n\n', undefined],
      ['\t\r\n', undefined],
      ['new\n \n', undefined],
      ['new\n\nold', undefined],
      ['a\nb\nc', undefined],
    ];
    for (const [text, want] of cases)
      assert.deepEqual(parseWebhookSecrets(text), want, JSON.stringify(text));
  });

  it('re-reads the file once the secrets in hand are older than the refresh interval', async () => {
    let now = 1000;
    let text = 'old\n';
    let reads = 0;
    const source = new FileSecretSource('/s', 30_000, ['old'], {
      now: () => now,
      read: () => (reads++, Promise.resolve(text)),
    });
    assert.deepEqual(await source.secrets(), ['old']);
    text = 'new\nold\n';
    now += 29_999;
    assert.deepEqual(await source.secrets(), ['old'], 'still within 30 s');
    assert.equal(reads, 0);
    now += 1;
    assert.deepEqual(await source.secrets(), ['new', 'old']);
    const together = await Promise.all([source.secrets(), source.secrets()]);
    assert.deepEqual(together, [
      ['new', 'old'],
      ['new', 'old'],
    ]);
    assert.equal(reads, 1, 'concurrent requests share one read');
  });

  it('fails closed when the file turns blank or unreadable, forgetting the old secrets, and recovers', async () => {
    let text: string | Error = 'prev-1b7e';
    const source = new FileSecretSource('/s', 0, undefined, {
      read: () =>
        text instanceof Error ? Promise.reject(text) : Promise.resolve(text),
    });
    assert.deepEqual(await source.secrets(), ['prev-1b7e']);
    text = '  \n';
    await assert.rejects(source.secrets(), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.doesNotMatch(e.message, /prev-1b7e/);
      return true;
    });
    text = Object.assign(new Error('gone'), { code: 'ENOENT' });
    await assert.rejects(source.secrets(), /ENOENT/);
    text = 'new';
    assert.deepEqual(await source.secrets(), ['new']);
  });

  it('accepts the HMAC of any configured secret and refuses the others', async () => {
    verifyGithubSignature(BODY, signed('old'), ['new', 'old']);
    verifyGithubSignature(BODY, signed('new'), ['new', 'old']);
    assert.throws(
      () => verifyGithubSignature(BODY, signed('other'), ['new', 'old']),
      (e: unknown) =>
        e instanceof WebhookError && e.code === 'WEBHOOK_SIGNATURE_INVALID'
    );
    const settings = (webhookSecret: string | string[]) => ({
      webhookSecret,
      allowUnauthenticatedWebhooks: true,
    });
    assert.deepEqual(
      await authenticateWebhook(BODY, signed('a'), settings(['b', 'a'])),
      { method: 'github-hmac-sha256', result: 'verified' }
    );
    for (const blank of ['', ' ', [], ['a', ' ']])
      await assert.rejects(
        authenticateWebhook(BODY, signed('a'), settings(blank)),
        ConfigError,
        JSON.stringify(blank)
      );
  });
});
