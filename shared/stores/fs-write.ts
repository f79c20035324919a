// Building blocks of FsStore's atomic create-only write: temp file, fsync, link that never replaces.
import { randomBytes } from 'node:crypto';
import { link, open, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { StorageError } from '../core/errors.js';
import { PermanentStorageError } from './store-errors.js';

// The errno code of a failed fs call.
export function errno(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

// A transient write failure naming the path.
export const writeFailed = (path: string, err: unknown) =>
  new StorageError(
    'STORE_WRITE_FAILED',
    `expected to write ${path}, got ${errno(err) ?? String(err)}`,
    { cause: err }
  );

// The first path from `dir` up to `root` that exists but is not a directory.
export async function nonDirectoryIn(
  dir: string,
  root: string
): Promise<string> {
  for (let p = dir; p.length >= root.length; p = dirname(p)) {
    const st = await stat(p).catch(() => undefined);
    if (st && !st.isDirectory()) return p;
    if (p === dirname(p)) break;
  }
  return dir;
}

// Temporary names are unique across processes (pid + 64 random bits), hidden, and never a layout key
// (no ".dsse.json" suffix), so list() and isLayoutKey never see them; 'wx' refuses any collision anyway.
export function tempNameIn(dir: string): string {
  return join(dir, `.tmp-${process.pid}-${randomBytes(8).toString('hex')}`);
}

// Creates path (never an existing one), writes and fsyncs it.
export async function writeSynced(path: string, bytes: Buffer): Promise<void> {
  const file = await open(path, 'wx', 0o644);
  try {
    await file.writeFile(bytes);
    await file.sync();
  } finally {
    await file.close();
  }
}

// link() never replaces: EEXIST on a regular file is "already stored"; on anything else it is permanent.
export async function linkOnce(
  temp: string,
  path: string
): Promise<'created' | 'exists'> {
  try {
    await link(temp, path);
    return 'created';
  } catch (err) {
    if (errno(err) !== 'EEXIST') throw err;
    if ((await stat(path)).isFile()) return 'exists';
    throw new PermanentStorageError(
      'STORE_WRITE_FAILED',
      `expected ${path} to be a stored file or absent, got a directory or special file; move it away`,
      { cause: err }
    );
  }
}
