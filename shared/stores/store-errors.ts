// Store failures that retrying cannot fix: a missing permission, a file where the layout needs a directory.
import { StorageError } from '../core/errors.js';

// Same codes as StorageError, but permanent: callers stop retrying and report it (CLI exit 2).
export class PermanentStorageError extends StorageError {
  override get permanent(): boolean {
    return true;
  }
}
