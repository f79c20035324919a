import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  writeFile,
  mkdir,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnvelope } from '../../shared/core/dsse.js';
import { ConfigError, StorageError } from '../../shared/core/errors.js';
import { isLayoutKey } from '../../shared/core/layout.js';
import { createStore } from '../../shared/stores/create-store.js';
import { FsStore } from '../../shared/stores/fs-store.js';
import { envelope } from './store-contract.js';

const KEY = `sha256/${'12'.repeat(32)}/taskrun-u1.tekton.dsse.json`;

// Runs the writer child until it has stored `writes` objects, then SIGKILLs it.
async function killMidWrite(root: string, writes: number): Promise<number> {
  const here = fileURLToPath(import.meta.url);
  const ts = here.endsWith('.ts');
  const child = spawn(
    process.execPath,
    [
      ...(ts ? ['--import', 'tsx'] : []),
      join(dirname(here), `fs-writer-child.${ts ? 'ts' : 'js'}`),
      root,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] }
  );
  let seen = 0;
  await new Promise<void>((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString().split('\n').length - 1;
      if (seen >= writes && child.kill('SIGKILL')) resolve();
    });
  });
  await new Promise((resolve) => child.once('exit', resolve));
  return seen;
}

describe('FsStore on disk', () => {
  let root: string;
  beforeEach(async () => (root = await mkdtemp(join(tmpdir(), 'fs-store-'))));
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('never leaves a partial file under a final name when killed mid-write', async () => {
    const written = await killMidWrite(root, 12);
    const files = (
      await readdir(root, { recursive: true, withFileTypes: true })
    ).filter((e) => e.isFile());
    const finals = files
      .map((e) => join(e.parentPath, e.name).slice(root.length + 1))
      .filter(isLayoutKey);
    assert.ok(
      finals.length >= written,
      `${finals.length} final files for ${written} acknowledged writes`
    );
    for (const key of finals) parseEnvelope(await readFile(join(root, key)));
    const store = new FsStore(root);
    assert.deepEqual(await store.list(''), [...finals].sort());
    for (const key of finals) assert.ok(await store.get(key));
  });

  it('writes complete, readable files and no temporaries', async () => {
    const store = new FsStore(root);
    await store.put(KEY, envelope());
    assert.equal((await stat(join(root, KEY))).mode & 0o777, 0o644);
    assert.deepEqual(await readdir(dirname(join(root, KEY))), [
      'taskrun-u1.tekton.dsse.json',
    ]);
  });

  it('reports a corrupt file as STORE_READ_FAILED and ignores foreign files in lists', async () => {
    const store = new FsStore(root);
    await mkdir(dirname(join(root, KEY)), { recursive: true });
    await writeFile(join(root, KEY), '{"payloadType":');
    await writeFile(join(dirname(join(root, KEY)), 'notes.txt'), 'x');
    await assert.rejects(
      store.get(KEY),
      (err: unknown) =>
        err instanceof StorageError && err.code === 'STORE_READ_FAILED'
    );
    assert.deepEqual(await store.list('sha256/'), [KEY]);
  });

  it('createStore accepts a path, file://DIR and file://./rel, and refuses other schemes', async () => {
    const expected = ['created', 'exists', 'created'];
    for (const ref of [root, `file://${root}`, 'file://./sub']) {
      const store = await createStore(ref, { cwd: root });
      assert.equal(await store.put(KEY, envelope()), expected.shift(), ref);
    }
    assert.equal(
      (await createStore('file://./sub', { cwd: root })).location,
      join(root, 'sub')
    );
    for (const bad of ['', 'file://', 's3://bucket', 'https://x']) {
      await assert.rejects(createStore(bad), ConfigError, bad);
    }
  });
});
