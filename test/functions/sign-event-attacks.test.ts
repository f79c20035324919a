// signEvent against an ordinary CI user (issue #13, item 10): other event types, stale or blank secrets,
// replayed deliveries. Served from the environment as deployed (loadConfig → makeDeps → signEventDeps).
import assert from 'node:assert/strict';
import {
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { http } from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import request from 'supertest';
import { makeDeps } from '../../functions/deps.js';
import { makeSignEvent, signEventDeps } from '../../functions/sign-event.js';
import { loadConfig } from '../../shared/config.js';
import { parseEnvelope, verifyEnvelope } from '../../shared/core/dsse.js';
import { ConfigError } from '../../shared/core/errors.js';
import { createMemoryLogger } from '../../shared/log.js';
import { githubSignature } from '../../shared/webhook-auth.js';
import { files, statementOf } from './sign-event-harness.js';

process.env.METADATA_SERVER_DETECTION = 'none';

interface Verdict {
  continue: boolean;
  status: { code: number; message: string };
  extensions?: { provenance: Record<string, string> };
}

interface Delivery {
  body: string;
  eventId: string;
  type?: string | undefined;
  delivery?: string;
  secret?: string;
}

const OLD = 'old-secret-3a91c0';
const NEW = 'new-secret-77d2e4';

// An InterceptorRequest as the EventListener forwards a GitHub delivery.
function interceptorRequest(d: Delivery) {
  const body = Buffer.from(d.body);
  return {
    body: d.body,
    header: {
      'Content-Type': ['application/json'],
      ...(d.type === undefined ? {} : { 'X-Github-Event': [d.type] }),
      'X-Github-Delivery': [d.delivery ?? `d-${d.eventId}`],
      'X-Hub-Signature-256': [githubSignature(body, d.secret ?? OLD)],
    },
    interceptor_params: {},
    context: {
      event_id: d.eventId,
      trigger_id: 'namespaces/ci/triggers/push',
      event_url: '/',
    },
  };
}

let n = 0;

describe('functions/sign-event: attacks of an ordinary CI user', function () {
  this.timeout(20000);
  let dir: string;
  const store = () => join(dir, 'store');
  const secretFile = () => join(dir, 'webhook-secret');

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sign-event-attacks-'));
    await writeFile(secretFile(), `${OLD}\n`);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  // A warm signEvent instance configured from env (secret file re-read on every request unless told otherwise).
  function serve(env: Record<string, string> = {}) {
    const config = loadConfig({
      HOME: '/nonexistent',
      STORE: store(),
      WEBHOOK_SECRET_FILE: secretFile(),
      WEBHOOK_SECRET_REFRESH_SECONDS: '0',
      ...env,
    });
    const logger = createMemoryLogger();
    const name = `signEventAttack${++n}`;
    http(
      name,
      makeSignEvent(signEventDeps(makeDeps(config, logger, { cwd: dir })))
    );
    const server = getTestServer(name);
    const post = async (d: Delivery): Promise<Verdict> => {
      const res = await request(server).post('/').send(interceptorRequest(d));
      assert.equal(res.status, 200);
      return res.body as Verdict;
    };
    return { post, logger };
  }
  const stored = async () =>
    [...(await files(store()).catch(() => new Map()))].map(([k]) => k).sort();
  const eventsStored = async () =>
    (await stored()).filter((k) => k.startsWith('events/'));

  describe('event types', () => {
    it('refuses a type outside the default allowlist (or none), signing nothing', async () => {
      const { post } = serve();
      for (const type of [
        'issues',
        'ping',
        'workflow_run',
        'PUSH',
        '',
        'tag',
      ]) {
        const res = await post({ body: '{"zen":"x"}', eventId: 't-1', type });
        assert.equal(res.continue, false, type);
        assert.equal(res.status.code, 3, type);
        assert.match(res.status.message, /^EVENT_UNSUPPORTED: /, type);
      }
      const none = await post({ body: '{}', eventId: 't-2', type: undefined });
      assert.equal(none.continue, false);
      assert.match(none.status.message, /EVENT_UNSUPPORTED/);
      assert.deepEqual(await stored(), []);
    });

    it('signs push, pull_request, release and tag creations by default; a branch creation is refused', async () => {
      const { post } = serve();
      const ok: [string, string][] = [
        ['push', '{"ref":"refs/heads/main","after":"a1"}'],
        ['pull_request', '{"action":"opened","pull_request":{}}'],
        ['release', '{"action":"published","release":{}}'],
        ['create', '{"ref":"v1.0.0","ref_type":"tag"}'],
      ];
      for (const [i, [type, body]] of ok.entries()) {
        const res = await post({ body, eventId: `ok-${i}`, type });
        assert.equal(res.continue, true, `${type}: ${res.status.message}`);
      }
      const branch = await post({
        body: '{"ref":"feature","ref_type":"branch"}',
        eventId: 'branch-1',
        type: 'create',
      });
      assert.equal(branch.continue, false);
      assert.match(branch.status.message, /EVENT_UNSUPPORTED/);
      assert.equal((await eventsStored()).length, 4);
    });

    it('EVENT_TYPES replaces the list; `tag` alone admits tag pushes only', async () => {
      const { post } = serve({ EVENT_TYPES: 'tag, workflow_run' });
      const tagPush = await post({
        body: '{"ref":"refs/tags/v2","after":"b2"}',
        eventId: 'tag-push',
        type: 'push',
      });
      assert.equal(tagPush.continue, true, tagPush.status.message);
      const branchPush = await post({
        body: '{"ref":"refs/heads/main","after":"c3"}',
        eventId: 'branch-push',
        type: 'push',
      });
      assert.equal(branchPush.continue, false);
      const other = await post({
        body: '{"workflow_run":{}}',
        eventId: 'wr-1',
        type: 'workflow_run',
      });
      assert.equal(other.continue, true, other.status.message);
      assert.throws(
        () => loadConfig({ HOME: '/x', EVENT_TYPES: 'push,Bad Type' }),
        /EVENT_TYPES/
      );
    });
  });

  describe('webhook secret rotation', () => {
    const push = (eventId: string, secret: string) => ({
      body: `{"ref":"refs/heads/main","after":"${eventId}"}`,
      eventId,
      type: 'push',
      secret,
    });

    it('a warm instance follows the secret file: both during a rotation, then only the new one', async () => {
      const { post } = serve();
      assert.equal((await post(push('r-1', OLD))).continue, true);
      assert.equal((await post(push('r-2', NEW))).continue, false);
      await writeFile(secretFile(), `${NEW}\n${OLD}\n`);
      assert.equal((await post(push('r-3', OLD))).continue, true);
      assert.equal((await post(push('r-4', NEW))).continue, true);
      await writeFile(secretFile(), `${NEW}\n`);
      const old = await post(push('r-5', OLD));
      assert.equal(old.continue, false);
      assert.equal(old.status.code, 9);
      assert.match(old.status.message, /^WEBHOOK_SIGNATURE_INVALID: /);
      assert.equal((await post(push('r-6', NEW))).continue, true);
      assert.deepEqual(
        (await eventsStored()).map((k) => k.split('/')[1]),
        ['r-1', 'r-3', 'r-4', 'r-6']
      );
    });

    it('a secret file that turns blank or disappears fails closed (continue false), never "no secret"', async () => {
      const { post } = serve({ ALLOW_UNAUTHENTICATED_WEBHOOKS: 'true' });
      assert.equal((await post(push('b-1', OLD))).continue, true);
      for (const text of ['', '   \n', '\n\n', ' \t \r\n']) {
        await writeFile(secretFile(), text);
        const res = await post(push(`b-${text.length}x`, OLD));
        assert.equal(res.continue, false, JSON.stringify(text));
        assert.doesNotMatch(res.status.message, new RegExp(OLD));
      }
      await unlink(secretFile());
      assert.equal((await post(push('b-gone', OLD))).continue, false);
      assert.deepEqual(await eventsStored(), ['events/b-1/event.dsse.json']);
    });

    it('refuses blank or whitespace-only secrets at start, naming the variable but not the value', () => {
      const bad: Record<string, string>[] = [
        { WEBHOOK_SECRET: '   ' },
        { WEBHOOK_SECRET: '\t\n' },
        { WEBHOOK_SECRET_FILE: secretFile() },
      ];
      for (const env of bad) {
        if ('WEBHOOK_SECRET_FILE' in env) {
          assert.throws(
            () =>
              loadConfig(
                { HOME: '/x', ...env },
                { exists: () => true, readText: () => ' \n \n' }
              ),
            (err: unknown) =>
              err instanceof ConfigError &&
              /WEBHOOK_SECRET_FILE/.test(err.message)
          );
          continue;
        }
        assert.throws(
          () => loadConfig({ HOME: '/x', ...env }),
          (err: unknown) =>
            err instanceof ConfigError && /WEBHOOK_SECRET:/.test(err.message),
          JSON.stringify(env)
        );
      }
      assert.throws(
        () =>
          loadConfig(
            { HOME: '/x', WEBHOOK_SECRET_FILE: '/s' },
            { exists: () => true, readText: () => 'a\nb\nc\n' }
          ),
        /WEBHOOK_SECRET_FILE/
      );
    });
  });

  describe('replayed deliveries', () => {
    const body = '{"ref":"refs/heads/main","after":"d00d"}';
    const genuine = { body, eventId: 'e-first', type: 'push', delivery: 'D1' };

    it('a captured delivery replayed under a fresh event id is not signed again, and the answer names the original', async () => {
      const { post } = serve();
      const first = await post(genuine);
      assert.equal(first.continue, true);
      const before = await stored();
      const replay = await post({ ...genuine, eventId: 'e-replay' });
      assert.equal(replay.continue, false);
      assert.equal(replay.status.code, 9);
      assert.match(replay.status.message, /^WEBHOOK_REPLAYED: .*e-first/);
      assert.equal(replay.extensions, undefined);
      // The delivery id header is not under the HMAC: editing it does not make the body new.
      const edited = await post({
        ...genuine,
        eventId: 'e-edited',
        delivery: 'D-forged',
      });
      assert.equal(edited.continue, false);
      assert.match(edited.status.message, /WEBHOOK_REPLAYED: .*e-first/);
      const otherType = await post({
        ...genuine,
        eventId: 'e-type',
        type: 'release',
        delivery: 'D-forged-2',
      });
      assert.equal(otherType.continue, false);
      assert.deepEqual(
        (await stored()).filter((k) => !k.startsWith('deliveries/')),
        before.filter((k) => !k.startsWith('deliveries/'))
      );
      // The same event again (several triggers of one EventListener) is still the one attestation.
      assert.deepEqual(await post(genuine), first);
    });

    it('10 parallel copies under 10 event ids → exactly one signed event', async () => {
      const { post } = serve();
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          post({ ...genuine, eventId: `e-par-${i}` })
        )
      );
      const signed = results.filter((r) => r.continue);
      assert.equal(signed.length, 1);
      const winner = signed[0]?.extensions?.provenance['eventId'];
      for (const r of results.filter((x) => !x.continue))
        assert.match(
          r.status.message,
          new RegExp(`WEBHOOK_REPLAYED: .*${winner}`)
        );
      assert.deepEqual(await eventsStored(), [
        `events/${winner}/event.dsse.json`,
      ]);
    });

    it('a malformed delivery id, or none under EVENT_DEDUPE=delivery, is refused with nothing stored', async () => {
      const { post } = serve();
      for (const delivery of ['../x', 'a/b', 'x'.repeat(200)]) {
        const res = await post({ ...genuine, delivery });
        assert.equal(res.continue, false, delivery);
        assert.equal(res.status.code, 3, delivery);
      }
      const strict = serve({ EVENT_DEDUPE: 'delivery' });
      const req = { ...genuine, delivery: ' ' };
      const none = await strict.post(req);
      assert.equal(none.continue, false);
      assert.match(none.status.message, /X-GitHub-Delivery/);
      assert.deepEqual(await stored(), []);
    });

    it('an event whose markers were stored but not events/ (a crash in between) completes with the marked envelope', async () => {
      const { post } = serve();
      const first = await post(genuine);
      const marker = (await stored()).find((k) =>
        k.startsWith('deliveries/sha256/')
      )!;
      const bytes = await readFile(join(store(), marker));
      for (const k of (await stored()).filter(
        (k) => !k.startsWith('deliveries/')
      ))
        await unlink(join(store(), k));
      assert.deepEqual(await post(genuine), first);
      const again = await readFile(
        join(store(), 'events/e-first/event.dsse.json')
      );
      assert.ok(again.equals(bytes), 'the envelope the markers hold');
      assert.equal(
        (await post({ ...genuine, eventId: 'e-2' })).continue,
        false
      );
    });

    it('EVENT_DEDUPE=delivery: the same body under another delivery id (a second webhook) is signed', async () => {
      const { post } = serve({ EVENT_DEDUPE: 'delivery' });
      assert.equal((await post(genuine)).continue, true);
      const hook2 = await post({ ...genuine, eventId: 'e-2', delivery: 'D2' });
      assert.equal(hook2.continue, true, hook2.status.message);
      const again = await post({ ...genuine, eventId: 'e-3' });
      assert.equal(again.continue, false);
      assert.match(again.status.message, /WEBHOOK_REPLAYED: .*e-first/);
    });
  });
  describe('what the statement claims', () => {
    it('marks the body as the only authenticated field; context and headers as unauthenticated', async () => {
      const { post } = serve();
      const body = '{"ref":"refs/heads/main","after":"5a5a"}';
      assert.equal(
        (await post({ body, eventId: 's-1', type: 'push' })).continue,
        true
      );
      const st = statementOf(
        await readFile(join(store(), 'events/s-1/event.dsse.json'))
      );
      const p = st.predicate as unknown as Record<string, unknown>;
      assert.deepEqual(p['authenticated'], ['body']);
      assert.deepEqual(p['unauthenticated'], [
        'eventId',
        'triggerId',
        'eventListener',
        'headers',
      ]);
      assert.equal(st.predicate.headers['X-GitHub-Event'], 'push');
    });

    it('without a secret (local use) nothing is authenticated, the body included', async () => {
      await unlink(secretFile());
      const { post } = serve({
        WEBHOOK_SECRET_FILE: '',
        ALLOW_UNAUTHENTICATED_WEBHOOKS: 'true',
      });
      const res = await post({ body: '{}', eventId: 'local-1', type: 'push' });
      assert.equal(res.continue, true, res.status.message);
      const st = statementOf(
        await readFile(join(store(), 'events/local-1/event.dsse.json'))
      );
      const p = st.predicate as unknown as Record<string, unknown>;
      assert.deepEqual(p['authenticated'], []);
      assert.ok((p['unauthenticated'] as string[]).includes('body'));
    });
  });

  describe('EVENT_SIGNER', () => {
    const pem = async (name: string) => {
      const { privateKey } = generateKeyPairSync('ec', {
        namedCurve: 'P-256',
      });
      const path = join(dir, `${name}.pem`);
      await writeFile(
        path,
        privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
      );
      return { path, pub: createPublicKey(privateKey) };
    };
    const sigOf = async (eventId: string) => {
      const env = parseEnvelope(
        await readFile(join(store(), `events/${eventId}/event.dsse.json`))
      );
      return (keyid: string, key: KeyObject) =>
        verifyEnvelope(env, [{ keyid, key }]).ok;
    };

    it('signs events with EVENT_SIGNER, not with SIGNER', async () => {
      const [prov, events] = [await pem('prov'), await pem('events')];
      const { post, logger } = serve({
        SIGNER: prov.path,
        EVENT_SIGNER: events.path,
      });
      const res = await post({ body: '{"a":1}', eventId: 'k-1', type: 'push' });
      assert.equal(res.continue, true, res.status.message);
      const ok = await sigOf('k-1');
      assert.equal(ok('', events.pub), true);
      assert.equal(ok('', prov.pub), false);
      assert.ok(!logger.entries.some((l) => /EVENT_SIGNER/.test(l.message)));
    });

    it('falls back to SIGNER with a logged warning when EVENT_SIGNER is unset', async () => {
      const prov = await pem('prov');
      const { post, logger } = serve({ SIGNER: prov.path });
      const res = await post({ body: '{"a":2}', eventId: 'k-2', type: 'push' });
      assert.equal(res.continue, true, res.status.message);
      assert.equal((await sigOf('k-2'))('', prov.pub), true);
      assert.ok(
        logger.entries.some(
          (l) => l.severity === 'WARNING' && /EVENT_SIGNER/.test(l.message)
        )
      );
      assert.throws(
        () => loadConfig({ HOME: '/x', EVENT_SIGNER: 'awskms://k' }),
        /EVENT_SIGNER/
      );
    });
  });
});
