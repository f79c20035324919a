// Directory store (the embedded default): atomic, create-only files laid out as CONTRACT §4.
import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { StorageError } from '../core/errors.js';
import { isLayoutKey } from '../core/layout.js';
import type { Envelope } from '../core/types.js';
import {
  storedBytes,
  type AttestationStore,
  type SerializedEnvelope,
  type StoredKey,
} from './store.js';
import {
  errno,
  linkOnce,
  nonDirectoryIn,
  tempNameIn,
  writeFailed,
  writeSynced,
} from './fs-write.js';
import { PermanentStorageError } from './store-errors.js';
import { checkLayoutKey, checkPrefix, parseStored } from './store-keys.js';

// Writes go to a hidden temporary file in the same directory, fsync'd, then link()ed to the final
// name: link never replaces, so a final name only ever holds complete bytes. Only link's EEXIST on a
// regular file means "already stored"; a non-directory where the layout needs a directory is permanent.
// Metadata is not kept on disk: the key and the envelope carry everything a reader needs.
export class FsStore implements AttestationStore {
  readonly location: string;

  constructor(root: string) {
    this.location = resolve(root);
  }

  // Absolute path of a key, refusing anything that would resolve outside the root.
  private pathOf(key: string): string {
    const path = resolve(this.location, key);
    if (!path.startsWith(this.location + sep)) {
      throw new StorageError(
        'STORE_KEY_INVALID',
        `expected a key inside ${this.location}, got ${JSON.stringify(key)}`
      );
    }
    return path;
  }

  async put(
    key: string,
    envelope: Envelope | SerializedEnvelope
  ): Promise<'created' | 'exists'> {
    const [stored] = await this.putInOrder([key], envelope);
    return stored!.result;
  }

  // One fsync'd temporary file (beside the first key) hard-linked under every key, in order: the bytes are
  // written and synced once per format, and a later key (the runs/… one) appears only once every earlier one
  // is stored. link never replaces, so a final name only ever holds complete bytes.
  async putInOrder(
    keys: readonly string[],
    envelope: Envelope | SerializedEnvelope
  ): Promise<StoredKey[]> {
    const targets = keys.map((key) => ({
      key,
      path: this.pathOf(checkLayoutKey(key)),
    }));
    const [first] = targets;
    if (first === undefined) return [];
    for (const dir of new Set(targets.map((t) => dirname(t.path))))
      await this.makeDirectories(dir);
    const temp = tempNameIn(dirname(first.path));
    const results: StoredKey[] = [];
    let at = first.path;
    try {
      await writeSynced(temp, storedBytes(envelope));
      for (const { key, path } of targets) {
        at = path;
        results.push({
          key,
          result: await this.link(temp, key, path, envelope),
        });
      }
      return results;
    } catch (err) {
      throw err instanceof StorageError ? err : writeFailed(at, err);
    } finally {
      await unlink(temp).catch(() => undefined);
    }
  }

  // The shared file linked at path; a path on another mount than the file (EXDEV) gets a write of its own
  // (its temporary file then sits beside it, so that link cannot cross mounts).
  private async link(
    temp: string,
    key: string,
    path: string,
    envelope: Envelope | SerializedEnvelope
  ): Promise<'created' | 'exists'> {
    try {
      return await linkOnce(temp, path);
    } catch (err) {
      if (errno(err) !== 'EXDEV') throw err;
      return this.put(key, envelope);
    }
  }

  // mkdir -p; EEXIST/ENOTDIR mean a non-directory sits where the layout needs a directory.
  private async makeDirectories(dir: string): Promise<void> {
    try {
      await mkdir(dir, { recursive: true });
    } catch (err) {
      if (errno(err) !== 'EEXIST' && errno(err) !== 'ENOTDIR')
        throw writeFailed(dir, err);
      const blocker = await nonDirectoryIn(dir, this.location);
      throw new PermanentStorageError(
        'STORE_WRITE_FAILED',
        `expected ${blocker} to be a directory of the store layout, got a non-directory (${errno(err)}); move it away`,
        { cause: err }
      );
    }
  }

  async get(key: string): Promise<Envelope | undefined> {
    const path = this.pathOf(checkLayoutKey(key));
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (err) {
      if (errno(err) === 'ENOENT') return undefined;
      throw new StorageError(
        'STORE_READ_FAILED',
        `expected to read ${path}, got ${errno(err) ?? String(err)}`,
        { cause: err }
      );
    }
    return parseStored(bytes, path);
  }

  // Layout keys under prefix, sorted; temporary files and anything else in the directory are ignored.
  async list(prefix: string): Promise<string[]> {
    const base = checkPrefix(prefix).slice(0, prefix.lastIndexOf('/') + 1);
    const dir = base === '' ? this.location : this.pathOf(base);
    let entries: string[];
    try {
      entries = await readdir(dir, { recursive: true });
    } catch (err) {
      if (errno(err) === 'ENOENT' || errno(err) === 'ENOTDIR') return [];
      throw new StorageError(
        'STORE_READ_FAILED',
        `expected to list ${dir}, got ${errno(err) ?? String(err)}`,
        { cause: err }
      );
    }
    return entries
      .map((entry) =>
        relative(this.location, join(dir, entry)).split(sep).join('/')
      )
      .filter((key) => key.startsWith(prefix) && isLayoutKey(key))
      .sort();
  }
}
