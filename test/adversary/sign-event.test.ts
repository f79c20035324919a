// Attack 10: signEvent signs only allowlisted, fresh, authenticated events under the current, non-blank
// secret, and marks what it could not authenticate (headers, interceptor context).
import assert from 'node:assert/strict';
import {
  mkdtemp,
  readdir,
  readFile,
  rm,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodePayload } from '../../shared/core/dsse.js';
import { ConfigError } from '../../shared/core/errors.js';
import { githubSignature } from '../../shared/webhook-auth.js';
import type { Json } from './harness.js';
import {
  SIGN_ENV,
  signEventServer,
  TRIGGERS,
  unauthenticatedFields,
} from './trigger.js';

// The shipped push request, re-signed with secret, as another delivery / event type / event id.
async function pushRequest(
  secret: string,
  over: {
    type?: string;
    delivery?: string;
    eventId?: string;
    after?: string;
  } = {}
): Promise<Json> {
  const file = join(TRIGGERS, 'interceptor-request.json');
  const req = JSON.parse(await readFile(file, 'utf8'));
  // A distinct push (another head commit): the same body twice is a refused replay.
  if (over.after)
    req.body = req.body.replace(
      /"after": ?"[0-9a-f]{40}"/,
      `"after":"${over.after}"`
    );
  const sig = githubSignature(Buffer.from(req.body, 'utf8'), secret);
  req.header['X-Hub-Signature-256'] = [sig];
  if (over.type) req.header['X-Github-Event'] = [over.type];
  if (over.delivery) req.header['X-Github-Delivery'] = [over.delivery];
  if (over.eventId) req.context.event_id = over.eventId;
  return req;
}

describe('adversary 10: signEvent', function () {
  this.timeout(60000);
  let dir = '';
  let store = '';
  let secretFile = '';
  const keys = async () =>
    (await readdir(store, { recursive: true }).catch(() => [])).filter((f) =>
      f.endsWith('.dsse.json')
    );
  // signEvent over a fresh store configured by exactly env, or with the secret file (and env) by default.
  const serveWith = (env: Record<string, string>) =>
    signEventServer(store, dir, env);
  const serve = (env: Record<string, string> = {}) =>
    serveWith({ [SIGN_ENV.secretFile]: secretFile, ...env });
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'adversary-sign-'));
    store = join(dir, 'store');
    secretFile = join(dir, 'webhook-secret');
    await writeFile(secretFile, 'first-secret-0001\n');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('a non-allowlisted event type (issues) → continue: false, nothing signed', async () => {
    const res = await serve().post(
      await pushRequest('first-secret-0001', { type: 'issues' })
    );
    assert.equal(res.continue, false);
    assert.deepEqual(await keys(), []);
    const narrow = serve({ [SIGN_ENV.eventTypes]: 'push' });
    const release = await pushRequest('first-secret-0001', { type: 'release' });
    assert.equal((await narrow.post(release)).continue, false);
    assert.deepEqual(await keys(), []);
  });

  it('a replayed X-GitHub-Delivery with a fresh event id is not signed again', async () => {
    const fn = serve();
    const first = await pushRequest('first-secret-0001', { delivery: 'd-42' });
    assert.equal((await fn.post(first)).continue, true);
    const signed = await keys();
    const replay = await pushRequest('first-secret-0001', {
      delivery: 'd-42',
      eventId: 'f00dfeed-0000-4000-8000-000000000042',
    });
    assert.equal((await fn.post(replay)).continue, false);
    assert.deepEqual(await keys(), signed);
  });

  it('after the secret file is rotated, a warm instance refuses the old secret and takes the new one', async () => {
    // Re-read on every request here; deployed, a rotation takes effect within WEBHOOK_SECRET_REFRESH_SECONDS (30).
    const fn = serve({ WEBHOOK_SECRET_REFRESH_SECONDS: '0' });
    const before = await pushRequest('first-secret-0001', { delivery: 'd-1' });
    assert.equal((await fn.post(before)).continue, true);
    await writeFile(secretFile, 'second-secret-002\n');
    const later = new Date(Date.now() + 60_000);
    await utimes(secretFile, later, later);
    const old = await pushRequest('first-secret-0001', {
      after: 'b'.repeat(40),
      delivery: 'd-2',
      eventId: 'f00dfeed-0000-4000-8000-000000000002',
    });
    assert.equal((await fn.post(old)).continue, false);
    const fresh = await pushRequest('second-secret-002', {
      after: 'c'.repeat(40),
      delivery: 'd-3',
      eventId: 'f00dfeed-0000-4000-8000-000000000003',
    });
    assert.equal((await fn.post(fresh)).continue, true);
  });

  for (const [what, blank, env] of [
    ['a blank WEBHOOK_SECRET', '   ', { [SIGN_ENV.secret]: '   ' }],
    ['a blank secret file', '  ', {}],
  ] as const) {
    it(`${what} is refused (at start, or nothing signed with it)`, async () => {
      await writeFile(secretFile, '  \n');
      let fn;
      try {
        fn = SIGN_ENV.secret in env ? serveWith(env) : serve();
      } catch (err) {
        return assert.ok(err instanceof ConfigError, String(err));
      }
      const res = await fn.post(await pushRequest(blank));
      assert.equal(res.continue, false);
      assert.deepEqual(await keys(), []);
    });
  }

  it('the statement marks headers and the interceptor context as unauthenticated', async () => {
    const res = await serve().post(await pushRequest('first-secret-0001'));
    assert.equal(res.continue, true);
    const key = res.extensions.provenance.attestation;
    const env = JSON.parse(await readFile(join(store, key), 'utf8'));
    const { predicate } = JSON.parse(decodePayload(env).toString('utf8'));
    const marked = unauthenticatedFields(predicate);
    assert.ok(marked.includes('headers'), `marked: ${marked.join(', ')}`);
    assert.ok(
      ['eventId', 'triggerId', 'context'].some((f) => marked.includes(f)),
      `marked: ${marked.join(', ')}`
    );
  });
});
