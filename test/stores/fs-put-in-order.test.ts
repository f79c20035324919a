import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attestInput } from '../../shared/attest.js';
import {
  publicKeyEntry,
  serializeEnvelope,
  verifyEnvelope,
} from '../../shared/core/dsse.js';
import { StorageError } from '../../shared/core/errors.js';
import { DEFAULT_BUILDER_ID } from '../../shared/core/formats.js';
import { makeRunInput } from '../../shared/core/tekton.js';
import {
  parseRunDocument,
  parseTaskRunsDocument,
} from '../../shared/core/tekton-documents.js';
import { LocalKeySigner } from '../../shared/signers/local-key-signer.js';
import { FsStore } from '../../shared/stores/fs-store.js';
import { serialized } from '../../shared/stores/store.js';
import { envelope } from './store-contract.js';

const HEX = '56'.repeat(32);
const SUBJECT = `sha256/${HEX}/pipelinerun-u1.slsa-v0.2.dsse.json`;
const RUN = 'runs/ci/pipelinerun-build-u1/slsa-v0.2.dsse.json';

// Every file under dir (recursively), temporaries included.
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => e.name);
}

// The directory store writes a format's envelope once (one fsync) and hard-links it under each key, the
// runs/… key last, so that key still means "every key of the format is stored".
describe('FsStore.putInOrder: one synced write per format, keys linked in order', () => {
  let root: string;
  beforeEach(async () => (root = await mkdtemp(join(tmpdir(), 'fs-order-'))));
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('stores the same bytes under every key as one file, leaves no temporaries, and reports exists after', async () => {
    const store = new FsStore(root);
    const env = serialized(envelope());
    assert.deepEqual(await store.putInOrder([SUBJECT, RUN], env), [
      { key: SUBJECT, result: 'created' },
      { key: RUN, result: 'created' },
    ]);
    const [a, b] = [
      await stat(join(root, SUBJECT)),
      await stat(join(root, RUN)),
    ];
    assert.equal(a.ino, b.ino, 'one inode: the bytes were written once');
    assert.equal(a.nlink, 2);
    assert.equal(a.mode & 0o777, 0o644);
    assert.deepEqual(await readFile(join(root, RUN)), env.bytes);
    assert.deepEqual((await filesUnder(root)).sort(), [
      'pipelinerun-u1.slsa-v0.2.dsse.json',
      'slsa-v0.2.dsse.json',
    ]);
    assert.deepEqual(
      await store.putInOrder([SUBJECT, RUN], serialized(envelope())),
      [
        { key: SUBJECT, result: 'exists' },
        { key: RUN, result: 'exists' },
      ]
    );
    assert.deepEqual(await readFile(join(root, SUBJECT)), env.bytes);
  });

  it('does not link the runs/… key when an earlier key cannot be stored', async () => {
    await mkdir(join(root, SUBJECT), { recursive: true });
    await assert.rejects(
      new FsStore(root).putInOrder([SUBJECT, RUN], serialized(envelope())),
      (err: unknown) =>
        err instanceof StorageError &&
        err.permanent &&
        err.message.includes(join(root, SUBJECT))
    );
    await assert.rejects(stat(join(root, RUN)), { code: 'ENOENT' });
    assert.deepEqual(await filesUnder(root), []);
  });

  it('is the path attestInput takes: each format is one file under its sha256/… and runs/… keys', async () => {
    const read = (name: string) =>
      readFileSync(join(process.cwd(), `examples/tep-0084/${name}`), 'utf8');
    const input = makeRunInput(
      parseRunDocument(read('pipelinerun.json')),
      parseTaskRunsDocument(read('taskruns.json'))
    );
    const { privateKey } = generateKeyPairSync('ec', {
      namedCurve: 'prime256v1',
    });
    const signer = LocalKeySigner.fromPem(
      privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
    );
    const store = new FsStore(root);
    const outcome = await attestInput(input, {
      signer,
      store,
      formats: ['slsa/v0.2', 'tekton'],
      options: { builderId: DEFAULT_BUILDER_ID, buildType: 'slsa', deepInspection: false },
    }); // prettier-ignore
    const runKeys = outcome.created.filter((k) => k.startsWith('runs/'));
    assert.equal(runKeys.length, 2);
    for (const runKey of runKeys) {
      const format = runKey.slice(runKey.lastIndexOf('/') + 1);
      const subjectKeys = outcome.created.filter(
        (k) => k.startsWith('sha256/') && k.endsWith(`.${format}`)
      );
      assert.ok(subjectKeys.length > 0, format);
      const run = await stat(join(root, runKey));
      assert.equal(run.nlink, subjectKeys.length + 1, format);
      for (const key of subjectKeys)
        assert.equal((await stat(join(root, key))).ino, run.ino, key);
      const stored = await store.get(runKey);
      assert.ok(stored);
      assert.ok(
        verifyEnvelope(stored, [publicKeyEntry(signer.publicKeyPem)]).ok
      );
      assert.deepEqual(
        await readFile(join(root, runKey)),
        serializeEnvelope(stored)
      );
    }
  });
});
