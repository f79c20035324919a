// The "already attested" check of attestInput, startable before the run is fetched.
import { runPrefix, type RunIdentity } from './core/layout.js';
import type { AttestationStore } from './stores/store.js';

// The "already attested" check (the run's runs/… keys), started early and read later: it never rejects;
// calling the resolved function returns the keys or throws the list's error where it is consumed.
export type RunKeysCheck = Promise<() => string[]>;

// Lists id's runs/… keys now (attestRunRef overlaps this with the fetch of the run).
export function checkRunKeys(
  store: AttestationStore | Promise<AttestationStore>,
  id: RunIdentity
): RunKeysCheck {
  return Promise.resolve(store)
    .then((s) => s.list(runPrefix(id)))
    .then(
      (keys) => () => keys,
      (err: unknown) => () => {
        throw err;
      }
    );
}
