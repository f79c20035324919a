import assert from 'node:assert/strict';
import {
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { serializeEnvelope } from '../../shared/core/dsse.js';
import { StorageError } from '../../shared/core/errors.js';
import { isLayoutKey } from '../../shared/core/layout.js';
import { FsStore } from '../../shared/stores/fs-store.js';
import { tempNameIn } from '../../shared/stores/fs-write.js';
import { envelope } from './store-contract.js';

const HEX = '34'.repeat(32);
const KEY = `sha256/${HEX}/taskrun-u1.tekton.dsse.json`;

const permanentAt = (path: string) => (err: unknown) =>
  err instanceof StorageError &&
  err.code === 'STORE_WRITE_FAILED' &&
  err.permanent &&
  err.message.includes(path);

describe('FsStore when the layout is blocked by a non-directory', () => {
  let root: string;
  beforeEach(async () => (root = await mkdtemp(join(tmpdir(), 'fs-layout-'))));
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('refuses (permanent, naming the file) a regular file where the digest directory should be', async () => {
    const blocker = join(root, 'sha256', HEX);
    await mkdir(dirname(blocker), { recursive: true });
    await writeFile(blocker, 'not a directory');
    await assert.rejects(
      new FsStore(root).put(KEY, envelope()),
      permanentAt(blocker)
    );
    assert.equal(await readFile(blocker, 'utf8'), 'not a directory');
    assert.deepEqual(await readdir(dirname(blocker)), [HEX]);
  });

  it('refuses a regular file higher up the path (ENOTDIR)', async () => {
    await writeFile(join(root, 'sha256'), 'x');
    await assert.rejects(
      new FsStore(root).put(KEY, envelope()),
      permanentAt(join(root, 'sha256'))
    );
  });

  it('refuses a directory sitting under the final name, and still reports a stored file as exists', async () => {
    const store = new FsStore(root);
    await mkdir(join(root, KEY), { recursive: true });
    await assert.rejects(
      store.put(KEY, envelope()),
      permanentAt(join(root, KEY))
    );
    await rm(join(root, KEY), { recursive: true });
    const env = envelope();
    assert.equal(await store.put(KEY, env), 'created');
    assert.equal(await store.put(KEY, envelope()), 'exists');
    assert.deepEqual(await readFile(join(root, KEY)), serializeEnvelope(env));
    assert.deepEqual(await readdir(dirname(join(root, KEY))), [basename(KEY)]);
  });

  it('uses temporary names that are unique, carry the pid, and are never layout keys or listed', async () => {
    const dir = dirname(join(root, KEY));
    const names = Array.from({ length: 2000 }, () => tempNameIn(dir));
    assert.equal(new Set(names).size, names.length);
    for (const name of names) {
      assert.match(
        basename(name),
        new RegExp(`^\\.tmp-${process.pid}-[0-9a-f]{16}$`)
      );
      assert.equal(isLayoutKey(relative(root, name)), false);
    }
    const store = new FsStore(root);
    await store.put(KEY, envelope());
    await writeFile(names[0]!, serializeEnvelope(envelope())); // left behind by a killed writer
    assert.deepEqual(await store.list(''), [KEY]);
    assert.deepEqual(await store.list(`sha256/${HEX}/`), [KEY]);
  });
});
