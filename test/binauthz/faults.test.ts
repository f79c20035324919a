// Container Analysis failures: transient ones retried within a deadline, permanent ones refused at once,
// each ending in one coded AttestationError that names the note and stores nothing.
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import {
  ensureAttestationOccurrence,
  type AttestationOptions,
} from '../../shared/binauthz/index.js';
import {
  assertRejectsWithCode,
  FAST,
  IMAGE,
  localSigner,
  NOTE,
  startGrafeas,
  type GrafeasFixture,
} from './harness.js';

describe('ensureAttestationOccurrence under Container Analysis faults', () => {
  let g: GrafeasFixture;
  beforeEach(async () => (g = await startGrafeas()));
  afterEach(() => g.close());
  const ensure = (noteName = NOTE, opts: AttestationOptions = FAST) =>
    ensureAttestationOccurrence(
      g.client,
      { noteName },
      IMAGE,
      localSigner(),
      opts
    );

  it('retries one UNAVAILABLE create and stores exactly one occurrence', async () => {
    g.server.inject({ code: grpc.status.UNAVAILABLE }, 1, ['CreateOccurrence']);
    const retries: unknown[] = [];
    const res = await ensure(NOTE, {
      ...FAST,
      onRetry: (e: unknown) => retries.push(e),
    });
    assert.equal(res.created, true);
    assert.equal(retries.length, 1);
    assert.equal(g.server.counters.createOccurrence, 2);
    assert.equal(g.server.occurrences().length, 1);
  });

  it('retries one UNAVAILABLE list', async () => {
    g.server.inject({ code: grpc.status.UNAVAILABLE }, 1, [
      'ListNoteOccurrences',
    ]);
    assert.equal((await ensure()).created, true);
    assert.equal(g.server.occurrences().length, 1);
  });

  it('gives a call that outlives callTimeoutMs up (DEADLINE_EXCEEDED) and retries it', async () => {
    g.server.inject({ delayMs: 800 }, 1, ['ListNoteOccurrences']);
    const res = await ensure(NOTE, { ...FAST, callTimeoutMs: 200 });
    assert.equal(res.created, true);
    assert.equal(g.server.counters.listNoteOccurrences, 2);
  });

  it('ends a persistent UNAVAILABLE in transient BINAUTHZ_UNAVAILABLE naming the note', async () => {
    g.server.inject({ code: grpc.status.UNAVAILABLE }, 1000);
    const started = Date.now();
    const err = await assertRejectsWithCode(
      ensure(NOTE, { ...FAST, deadlineMs: 500 }),
      'BINAUTHZ_UNAVAILABLE'
    );
    assert.equal(err.permanent, false);
    assert.ok(Date.now() - started < 2_000, 'bounded by the deadline');
    assert.ok(g.server.counters.listNoteOccurrences > 1, 'retried');
    assert.equal(
      err.message,
      `expected Container Analysis to record an attestation on ${NOTE}, got gRPC 14 UNAVAILABLE`
    );
    assert.equal(g.server.occurrences().length, 0);
  });

  const permanent: [string, () => void, string][] = [
    [
      'PERMISSION_DENIED on list',
      () => g.server.inject({ code: grpc.status.PERMISSION_DENIED }, 1000),
      NOTE,
    ],
    [
      'PERMISSION_DENIED on create',
      () =>
        g.server.inject({ code: grpc.status.PERMISSION_DENIED }, 1000, [
          'CreateOccurrence',
        ]),
      NOTE,
    ],
    [
      'a missing note (NOT_FOUND)',
      () => undefined,
      'projects/attestor-project/notes/missing',
    ],
  ];
  for (const [what, arrange, noteName] of permanent) {
    it(`refuses at once on ${what}: permanent BINAUTHZ_REFUSED, nothing stored`, async () => {
      arrange();
      const err = await assertRejectsWithCode(
        ensure(noteName),
        'BINAUTHZ_REFUSED'
      );
      assert.equal(err.permanent, true);
      assert.ok(err.message.includes(noteName), err.message);
      assert.equal(g.server.counters.listNoteOccurrences, 1, 'no retry');
      assert.ok(g.server.counters.createOccurrence <= 1);
      assert.equal(g.server.occurrences().length, 0);
    });
  }

  it('refuses a malformed note name before any call (BINAUTHZ_INVALID)', async () => {
    await assertRejectsWithCode(
      ensure('attestor-project/tekton'),
      'BINAUTHZ_INVALID'
    );
    assert.equal(g.server.counters.listNoteOccurrences, 0);
  });
});
