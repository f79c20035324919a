// verify and the trigger event: separate event keys, and only the HMAC-authenticated body decides anything.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { makeEnvelope, preAuthEncoding } from '../../shared/core/dsse.js';
import { INTOTO_PAYLOAD_TYPE } from '../../shared/core/formats.js';
import {
  buildTriggerEventStatement,
  sha256Hex,
} from '../../shared/core/trigger-event.js';
import type { Envelope } from '../../shared/core/types.js';
import type { LocalKeySigner } from '../../shared/signers/local-key-signer.js';
import { FsStore } from '../../shared/stores/fs-store.js';
import { checkEvent } from '../../shared/verify/event-check.js';
import { loadKeys } from '../../shared/verify/keys.js';
import { parsePolicy } from '../../shared/verify/policy.js';
import type { VerifyReport } from '../../shared/verify/report.js';
import { verifyDigest } from '../../shared/verify/verify-digest.js';
import { runCli as cli } from '../cli/run-cli.js';
import {
  attest,
  eventIdOf,
  exampleInput,
  IMAGE_HEX,
  makeKey,
  pushBody,
  REVISION,
  signEvent,
  tempDir,
  type TestKey,
} from './harness.js';

process.env.METADATA_SERVER_DETECTION = 'none';
const NOW = new Date('2026-05-05T00:00:00Z');
const POLICY = `requireTriggerEvent: true
eventBindings:
  - param: revision
    event: head_commit.id
`;
const codes = (r: VerifyReport) =>
  [...new Set(r.checks.filter((c) => !c.passed).map((c) => c.code))].sort();

async function signed(signer: LocalKeySigner, predicate: object) {
  const payload = Buffer.from(JSON.stringify(predicate));
  const sig = await signer.sign(preAuthEncoding(INTOTO_PAYLOAD_TYPE, payload));
  return makeEnvelope(INTOTO_PAYLOAD_TYPE, payload, signer.keyId, sig);
}

describe('verify: trigger-event keys and authenticated fields', function () {
  this.timeout(20000);
  let dir: string;
  let cleanup: () => Promise<void>;
  let prov: TestKey;
  let events: TestKey;
  let store: FsStore;
  const trusted = exampleInput('trusted');

  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
    prov = await makeKey(dir, 'prov');
    events = await makeKey(dir, 'events');
    store = new FsStore(join(dir, 'store'));
  });
  afterEach(() => cleanup());

  async function release(eventSigner: TestKey, body = pushBody(REVISION)) {
    await signEvent(store, eventSigner.signer, eventIdOf(trusted), body);
    await attest(store, prov.signer, trusted);
  }
  async function verify(eventKeys?: string[], policy = POLICY) {
    return verifyDigest(IMAGE_HEX, {
      store,
      keys: await loadKeys([prov.pubPath]),
      ...(eventKeys && { eventKeys: await loadKeys(eventKeys) }),
      policy: parsePolicy(policy, 'policy.yaml'),
      now: NOW,
    });
  }

  it('with event keys, an event passes only under them; one signed with the provenance key fails', async () => {
    await release(events);
    const ok = await verify([events.pubPath]);
    assert.deepEqual(codes(ok), []);
    assert.equal(ok.passed, true);
    // Without --event-key the provenance keys are used for events too (as before): this event is foreign.
    assert.ok(codes(await verify()).includes('EVENT_SIGNATURE_INVALID'));
  });

  it('an event signed with the provenance key fails EVENT_SIGNATURE_INVALID once event keys are given', async () => {
    await release(prov);
    assert.equal((await verify()).passed, true);
    const separated = await verify([events.pubPath]);
    assert.equal(separated.passed, false);
    assert.ok(codes(separated).includes('EVENT_SIGNATURE_INVALID'));
    // The event's own digest (sha256/<payload-hex>/event-…) is judged by the event keys too.
    const payload = sha256Hex(pushBody(REVISION));
    const own = await verifyDigest(payload, {
      store,
      keys: await loadKeys([prov.pubPath]),
      eventKeys: await loadKeys([events.pubPath]),
      policy: parsePolicy('{}', 'policy.yaml'),
      now: NOW,
    });
    assert.deepEqual(codes(own), ['EVENT_SIGNATURE_INVALID']);
  });

  it('tekton-provenance verify --event-key KEY…', async () => {
    await release(events);
    const base = [
      'verify',
      `sha256:${IMAGE_HEX}`,
      '--store',
      'store',
      '--key',
      'prov.pub.pem',
    ];
    const ok = await cli([...base, '--event-key', 'events.pub.pem'], dir);
    assert.equal(ok.code, 0, ok.stderr);
    const rotated = await cli(
      [...base, '--event-key', 'prov.pub.pem', '--event-key', 'events.pub.pem'],
      dir
    );
    assert.equal(rotated.code, 0, rotated.stderr);
    const wrong = await cli([...base, '--event-key', 'prov.pub.pem'], dir);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /EVENT_SIGNATURE_INVALID/);
  });

  it('a binding to a header or context value cannot be expressed: it reads the body only', async () => {
    await release(prov);
    for (const path of [
      'X-GitHub-Event',
      'headers.X-GitHub-Event',
      'predicate.headers.X-GitHub-Delivery',
      'eventId',
    ]) {
      const report = await verify(
        undefined,
        `requireTriggerEvent: true\neventBindings:\n  - param: revision\n    event: ${path}\n`
      );
      assert.deepEqual(codes(report), ['EVENT_BINDING_MISMATCH'], path);
    }
  });

  it('reports the event id and type as unauthenticated', async () => {
    await release(prov);
    const event = (await verify()).runs[0]?.event;
    assert.equal(event?.eventType, 'push');
    assert.deepEqual(event?.unauthenticated, ['eventId', 'eventType']);
  });

  describe('checkEvent', () => {
    const body = pushBody(REVISION);
    const hex = () =>
      buildTriggerEventStatement(input()).statement.subject[0].digest[
        'sha256'
      ]!;
    const input = () => ({
      eventId: 'e-1',
      body,
      headers: { 'X-GitHub-Event': ['push'] },
      receivedAt: NOW,
      authentication: {
        method: 'github-hmac-sha256',
        result: 'verified',
      } as const,
    });
    const check = async (edit: (p: Record<string, unknown>) => void) => {
      const { statement } = buildTriggerEventStatement(input());
      edit(statement.predicate as unknown as Record<string, unknown>);
      const env: Envelope = await signed(prov.signer, statement);
      return checkEvent(
        'event',
        'k',
        env,
        hex(),
        await loadKeys([prov.pubPath])
      );
    };

    it('passes a statement whose lists say the body is authenticated, and one signed before the lists', async () => {
      assert.equal((await check(() => undefined)).report.verified, true);
      const old = await check((p) => {
        delete p['authenticated'];
        delete p['unauthenticated'];
      });
      assert.equal(old.report.verified, true);
    });

    it('fails EVENT_NOT_AUTHENTICATED when the lists do not cover the body, whatever authentication says', async () => {
      for (const edit of [
        (p: Record<string, unknown>) => (p['authenticated'] = []),
        (p: Record<string, unknown>) => (p['authenticated'] = ['headers']),
        (p: Record<string, unknown>) =>
          (p['unauthenticated'] = ['eventId', 'body']),
        (p: Record<string, unknown>) => delete p['authenticated'],
      ]) {
        const checked = await check(edit);
        assert.equal(checked.report.verified, false, String(edit));
        assert.deepEqual(
          checked.checks.map((c) => c.code),
          ['EVENT_NOT_AUTHENTICATED'],
          String(edit)
        );
        assert.equal(checked.body, undefined);
      }
    });
  });
});
