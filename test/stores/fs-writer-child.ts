// Child process for the crash test: writes large envelopes through FsStore, 4 at a time, until killed.
import { randomBytes } from 'node:crypto';
import { makeEnvelope } from '../../shared/core/dsse.js';
import { FsStore } from '../../shared/stores/fs-store.js';

const store = new FsStore(process.argv[2] ?? '.');
let n = 0;

async function writer(): Promise<never> {
  for (;;) {
    const i = n++;
    const hex = randomBytes(32).toString('hex');
    const body = randomBytes(256 * 1024 + i);
    const env = makeEnvelope(
      'application/vnd.in-toto+json',
      body,
      'k',
      randomBytes(70)
    );
    await store.put(`sha256/${hex}/taskrun-u${i}.slsa-v0.2.dsse.json`, env);
    process.stdout.write('w\n');
  }
}

await Promise.all([writer(), writer(), writer(), writer()]);
