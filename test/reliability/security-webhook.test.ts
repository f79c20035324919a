import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeDeps } from '../../functions/deps.js';
import { makeSignEvent, signEventDeps } from '../../functions/sign-event.js';
import { loadConfig } from '../../shared/config.js';
import { decodePayload, parseEnvelope } from '../../shared/core/dsse.js';
import { createJsonLogger } from '../../shared/log.js';
import { githubSignature } from '../../shared/webhook-auth.js';
import { jsonOf, serveFunction, walkFiles, type Served } from './harness.js';

const SECRET = 'sec-webhook-7d41f0aa93';
const COOKIE = 'session=cookie-secret-55e1';
const BEARER = 'Bearer header-token-9c2b';

interface Verdict {
  continue: boolean;
  status: { code: number; message: string };
  extensions?: { provenance: { attestation: string } };
}

function interceptorRequest(
  body: string,
  eventId: string,
  sig: string | undefined
) {
  return {
    body,
    header: {
      'Content-Type': ['application/json'],
      'X-GitHub-Event': ['push'],
      Authorization: [BEARER],
      Cookie: [COOKIE],
      ...(sig === undefined ? {} : { 'X-Hub-Signature-256': [sig] }),
    },
    interceptor_params: {},
    context: { event_id: eventId, trigger_id: 'ns/push', event_url: '/' },
  };
}

describe('reliability/security: signEvent signs only authentic payloads, inside the layout, without secrets', () => {
  let dir: string;
  let served: Served;
  const logs: string[] = [];
  const store = () => join(dir, 'store');

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'reliability-webhook-'));
    const config = loadConfig({ STORE: store(), WEBHOOK_SECRET: SECRET });
    const deps = makeDeps(
      config,
      createJsonLogger((l) => void logs.push(l)),
      { cwd: dir }
    );
    served = await serveFunction(makeSignEvent(signEventDeps(deps)));
  });
  after(async () => {
    await served.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function post(req: unknown): Promise<Verdict> {
    const reply = await served.send({
      headers: { 'content-type': 'application/json' },
      body: Buffer.from(JSON.stringify(req)),
    });
    assert.equal(reply.status, 200);
    return jsonOf(reply) as Verdict;
  }

  it('never signs an unsigned, wrongly signed or malformed-signature payload', async () => {
    const body = '{"ref":"refs/heads/main","head_commit":{"id":"abc"}}';
    const forged = [
      undefined,
      '',
      'sha256=' + '0'.repeat(64),
      githubSignature(Buffer.from(body), 'guessed-secret'),
      githubSignature(Buffer.from(body + ' '), SECRET),
      'sha1=' + githubSignature(Buffer.from(body), SECRET).slice(7),
      githubSignature(Buffer.from(body), SECRET)
        .toUpperCase()
        .replace('SHA256', 'sha256') + '00',
    ];
    for (const [i, sig] of forged.entries()) {
      const res = await post(interceptorRequest(body, `forged-${i}`, sig));
      assert.equal(
        res.continue,
        false,
        `signature ${String(sig)} must not pass`
      );
      assert.equal(res.status.code, 9);
    }
    assert.deepEqual(
      await walkFiles(store()),
      [],
      'nothing stored for a forged payload'
    );
  });

  it('refuses event ids that could leave the layout, writing nothing (trailing dot included)', async () => {
    const body = '{"ok":true}';
    const sig = githubSignature(Buffer.from(body), SECRET);
    const ids = [
      '../escape',
      '..',
      '.',
      'a/b',
      '/abs',
      'x\u0000y',
      'é',
      'ünï-cødé',
      'a'.repeat(129),
      'abc.',
      'ends-with-dot.',
      '-lead',
      'a..b',
      'C:\\x',
    ];
    for (const id of ids) {
      const res = await post(interceptorRequest(body, id, sig));
      assert.equal(
        res.continue,
        false,
        `event id ${JSON.stringify(id)} must be refused`
      );
      assert.deepEqual(
        await walkFiles(store()),
        [],
        `nothing written for event id ${JSON.stringify(id)}`
      );
    }
    assert.deepEqual(
      await walkFiles(dir).then((f) =>
        f.filter((p) => !p.startsWith('.keys/'))
      ),
      [],
      'nothing written outside the store either'
    );
  });

  it('stores no secret, cookie or Authorization value, and logs none of them', async () => {
    const body = '{"token-looking":"not-a-secret","ref":"main"}';
    const res = await post(
      interceptorRequest(
        body,
        'evt-secret-check',
        githubSignature(Buffer.from(body), SECRET)
      )
    );
    assert.equal(res.continue, true, res.status.message);
    const files = await walkFiles(store());
    assert.equal(
      files.length,
      3,
      'events/…, sha256/… and the deliveries/sha256/… replay marker'
    );
    for (const f of files) {
      const bytes = await readFile(join(store(), f));
      const statement = decodePayload(parseEnvelope(bytes)).toString('utf8');
      for (const secret of [
        SECRET,
        COOKIE,
        BEARER,
        'header-token-9c2b',
        'cookie-secret-55e1',
      ]) {
        assert.ok(
          !bytes.includes(secret) && !statement.includes(secret),
          `${f} holds a secret`
        );
      }
    }
    for (const secret of [SECRET, 'header-token-9c2b', 'cookie-secret-55e1'])
      assert.ok(
        !logs.some((l) => l.includes(secret)),
        'a log line holds a secret'
      );
  });
});
