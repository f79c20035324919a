// The pure pieces behind signEvent's defences: the event-type allowlist, the authenticated-field lists and
// the replay marker keys.
import assert from 'node:assert/strict';
import { EventError, StorageError } from '../../shared/core/errors.js';
import {
  checkEventType,
  DEFAULT_EVENT_TYPES,
  isTagEvent,
} from '../../shared/core/event-types.js';
import {
  deliveryBodyKey,
  deliveryKey,
  isLayoutKey,
} from '../../shared/core/layout.js';
import {
  fieldTrust,
  isBodyAuthenticated,
} from '../../shared/core/trigger-event-trust.js';

const HEX = 'ab'.repeat(32);
const verified = { method: 'github-hmac-sha256', result: 'verified' };

describe('core: event types, authenticated fields, replay markers', () => {
  it('table: the default allowlist and what `tag` admits', () => {
    const cases: [string | undefined, unknown, boolean][] = [
      ['push', { ref: 'refs/heads/main' }, true],
      ['pull_request', {}, true],
      ['release', {}, true],
      ['create', { ref: 'v1', ref_type: 'tag' }, true],
      ['create', { ref: 'b', ref_type: 'branch' }, false],
      ['tag', {}, false],
      ['issues', {}, false],
      ['ping', {}, false],
      ['Push', {}, false],
      [undefined, {}, false],
    ];
    for (const [type, body, ok] of cases) {
      const run = () => checkEventType(DEFAULT_EVENT_TYPES, type, () => body);
      if (ok) run();
      else
        assert.throws(
          run,
          (e: unknown) =>
            e instanceof EventError && e.code === 'EVENT_UNSUPPORTED',
          String(type)
        );
    }
    assert.deepEqual(DEFAULT_EVENT_TYPES, [
      'push',
      'pull_request',
      'release',
      'tag',
    ]);
  });

  it('reads the body only to tell a tag, and only when the type is not listed itself', () => {
    let parsed = 0;
    const body = () => (parsed++, { ref: 'refs/tags/v1' });
    checkEventType(['push'], 'push', body);
    assert.equal(parsed, 0);
    checkEventType(['tag'], 'push', body);
    assert.equal(parsed, 1);
    assert.throws(() => checkEventType(['tag'], 'release', body));
    assert.equal(parsed, 1);
    for (const notTag of [undefined, null, 'x', { ref: 7 }, { ref_type: 'x' }])
      assert.equal(
        isTagEvent('push', notTag) || isTagEvent('create', notTag),
        false
      );
    assert.equal(isTagEvent('delete', { ref_type: 'tag' }), false);
  });

  it('lists the body as authenticated only when verified; the context and headers never', () => {
    assert.deepEqual(fieldTrust(true, true), {
      authenticated: ['body'],
      unauthenticated: ['eventId', 'triggerId', 'eventListener', 'headers'],
    });
    assert.deepEqual(fieldTrust(false, false), {
      authenticated: [],
      unauthenticated: ['eventId', 'eventListener', 'headers', 'body'],
    });
  });

  it('table: isBodyAuthenticated for new and older predicates', () => {
    const cases: [object, boolean][] = [
      [{ authentication: verified, ...fieldTrust(true, true) }, true],
      [{ authentication: verified }, true],
      [{ authentication: { result: 'unauthenticated-local' } }, false],
      [{}, false],
      [{ authentication: verified, authenticated: [] }, false],
      [{ authentication: verified, authenticated: 'body' }, false],
      [{ authentication: verified, unauthenticated: ['eventId'] }, false],
      [
        {
          authentication: verified,
          authenticated: ['body'],
          unauthenticated: ['body'],
        },
        false,
      ],
      [
        {
          authentication: { result: 'unauthenticated-local' },
          authenticated: ['body'],
        },
        false,
      ],
    ];
    for (const [p, want] of cases)
      assert.equal(isBodyAuthenticated(p), want, JSON.stringify(p));
  });

  it('keys the replay markers under deliveries/, inside the layout', () => {
    const id = '72d3162e-cc78-11e3-81ab-4c9367dc0958';
    assert.equal(deliveryKey(id), `deliveries/${id}.dsse.json`);
    assert.equal(deliveryBodyKey(HEX), `deliveries/sha256/${HEX}.dsse.json`);
    assert.ok(isLayoutKey(deliveryKey(id)));
    assert.ok(isLayoutKey(deliveryBodyKey(HEX)));
    assert.ok(isLayoutKey(deliveryKey('sha256')));
    for (const bad of ['../x', 'a/b', '.', 'a..b', '', 'x'.repeat(129)])
      assert.throws(
        () => deliveryKey(bad),
        (e: unknown) => e instanceof StorageError,
        bad
      );
    assert.throws(() => deliveryBodyKey('AB'.repeat(32)), StorageError);
    for (const key of [
      'deliveries/a/b.dsse.json',
      'deliveries/sha256/abc.dsse.json',
      'deliveries/..dsse.json',
      'deliveries/x.json',
    ])
      assert.equal(isLayoutKey(key), false, key);
  });
});
