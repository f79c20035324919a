// One contract every AttestationStore must meet; stores.test.ts runs it against each backend.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { serializeEnvelope } from '../../shared/core/dsse.js';
import { StorageError } from '../../shared/core/errors.js';
import { signalMarker } from '../../shared/core/signal.js';
import type { Envelope } from '../../shared/core/types.js';
import {
  serialized,
  type AttestationStore,
} from '../../shared/stores/store.js';

export interface StoreHarness {
  store: AttestationStore;
  // The stored bytes of a key, read behind the store's back (file, map or stand-in object).
  raw(key: string): Promise<Buffer | undefined>;
  // Every object name the backend holds (to prove nothing else was written).
  names(): Promise<string[]>;
  close(): Promise<void>;
}

const HEX = 'ab'.repeat(32);
const subject = (uid: string) =>
  `sha256/${HEX}/taskrun-${uid}.slsa-v0.2.dsse.json`;

export function envelope(tag = randomBytes(4).toString('hex')): Envelope {
  return {
    payloadType: 'application/vnd.in-toto+json',
    payload: Buffer.from(`{"tag":"${tag}"}`).toString('base64'),
    signatures: [
      { keyid: 'SHA256:test', sig: randomBytes(70).toString('base64') },
    ],
  };
}

// Registers the contract cases for one backend.
export function storeContract(name: string, open: () => Promise<StoreHarness>) {
  describe(`AttestationStore contract: ${name}`, () => {
    let h: StoreHarness;
    beforeEach(async () => (h = await open()));
    afterEach(() => h.close());

    it('creates once; a second put is "exists" and changes no byte', async () => {
      const first = envelope('one');
      assert.equal(
        await h.store.put(subject('u1'), first, { uid: 'u1' }),
        'created'
      );
      const before = await h.raw(subject('u1'));
      assert.deepEqual(before, serializeEnvelope(first));
      assert.equal(await h.store.put(subject('u1'), envelope('two')), 'exists');
      assert.deepEqual(await h.raw(subject('u1')), before);
      assert.deepEqual(await h.store.get(subject('u1')), first);
    });

    it('writes a pre-serialised envelope under several keys with the same bytes as put(envelope)', async () => {
      const env = envelope('shared');
      const once = serialized(env);
      const keys = ['s1', 's2', 's3'].map(subject);
      for (const key of keys)
        assert.equal(await h.store.put(key, once, { uid: 'u' }), 'created');
      assert.equal(await h.store.put(subject('s4'), env), 'created');
      for (const key of [...keys, subject('s4')]) {
        assert.deepEqual(await h.raw(key), serializeEnvelope(env), key);
        assert.deepEqual(await h.store.get(key), env, key);
      }
      assert.equal(
        await h.store.put(keys[0]!, serialized(envelope())),
        'exists'
      );
      assert.deepEqual(await h.raw(keys[0]!), once.bytes);
    });

    it('returns undefined for a missing key and [] for an empty prefix', async () => {
      assert.equal(await h.store.get(subject('nope')), undefined);
      assert.deepEqual(await h.store.list(`sha256/${'cd'.repeat(32)}/`), []);
    });

    it('lists layout keys under a prefix, sorted, across pages', async () => {
      const keys = ['u5', 'u1', 'u3', 'u2', 'u4'].map(subject);
      const run = 'runs/ci/taskrun-build-u1/slsa-v0.2.dsse.json';
      await Promise.all([...keys, run].map((k) => h.store.put(k, envelope())));
      assert.deepEqual(await h.store.list(`sha256/${HEX}/`), [...keys].sort());
      assert.deepEqual(await h.store.list('runs/ci/'), [run]);
      assert.equal((await h.store.list('')).length, 6);
    });

    it('stores the unsigned signal marker create-only and lists it beside the run keys', async () => {
      const run = 'runs/ci/pipelinerun-build-u1/';
      const marker = signalMarker({
        data: Buffer.from('{"type":"tekton-provenance.attested.v1"}'),
        attributes: {},
      });
      await h.store.put(`${run}slsa-v0.2.dsse.json`, envelope());
      assert.equal(
        await h.store.put(`${run}attested.signal.json`, marker),
        'created'
      );
      assert.equal(
        await h.store.put(`${run}attested.signal.json`, marker),
        'exists'
      );
      assert.deepEqual(
        await h.raw(`${run}attested.signal.json`),
        serializeEnvelope(marker)
      );
      assert.deepEqual(await h.store.list(run), [
        `${run}attested.signal.json`,
        `${run}slsa-v0.2.dsse.json`,
      ]);
    });

    it('20 concurrent writes of one key all succeed and leave one object', async () => {
      const envs = Array.from({ length: 20 }, (_, i) => envelope(`w${i}`));
      const results = await Promise.all(
        envs.map((e) => h.store.put(subject('race'), e))
      );
      assert.equal(results.filter((r) => r === 'created').length, 1);
      assert.equal(results.filter((r) => r === 'exists').length, 19);
      const stored = await h.raw(subject('race'));
      assert.ok(
        envs.some((e) => serializeEnvelope(e).equals(stored ?? Buffer.alloc(0)))
      );
      assert.deepEqual(await h.names(), [subject('race')]);
    });

    const outside = [
      '../x.dsse.json',
      '/etc/passwd',
      `sha256/${HEX}/../../x.dsse.json`,
      'sha256/zz/taskrun-u.tekton.dsse.json',
      `runs/ci/taskrun-a-b/x.dsse.json\0`,
      'other/object.json',
      'runs/ci/taskrun-a-b/other.signal.json',
      'runs/ci/taskrun-a-b/attested.signal.json.tmp',
    ];
    it('refuses keys outside the layout and writes nothing', async () => {
      for (const key of outside) {
        await assert.rejects(
          h.store.put(key, envelope()),
          (err: unknown) =>
            err instanceof StorageError &&
            err.code === 'STORE_KEY_INVALID' &&
            err.permanent
        );
      }
      await assert.rejects(h.store.list('../'), StorageError);
      assert.deepEqual(await h.names(), []);
    });
  });
}
