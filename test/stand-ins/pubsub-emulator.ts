// Google's Pub/Sub emulator (gcloud beta emulators pubsub, a Java server), started and stopped by the tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';

export interface PubsubEmulator {
  // host:port, as PUBSUB_EMULATOR_HOST or a client's apiEndpoint takes it.
  host: string;
  projectId: string;
  close(): Promise<void>;
}

const START_TIMEOUT_MS = 60_000;
const MISSING =
  'the Pub/Sub emulator is required by the tests: install the Google Cloud SDK with its pubsub-emulator ' +
  'component (and Java 17+) so that `gcloud beta emulators pubsub start` works';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  await new Promise((ok) => server.close(ok));
  return port;
}

// Signals the whole process group (gcloud's python and the java server it spawns); false once it is gone.
function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

async function stopGroup(pid: number): Promise<void> {
  signalGroup(pid, 'SIGTERM');
  for (let waited = 0; signalGroup(pid, 0); waited += 100) {
    if (waited === 5000) signalGroup(pid, 'SIGKILL');
    if (waited > 15000) throw new Error(`emulator group ${pid} did not exit`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

// A detached shell holding a pipe from this process: when the test process ends, however it ends (even
// SIGKILL), the pipe closes and the shell stops the emulator's group, so no java server outlives the tests.
function watch(pid: number): ChildProcess {
  const script = `read _; kill -TERM -${pid}; sleep 5; kill -KILL -${pid}`;
  const watchdog = spawn('sh', ['-c', script], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  watchdog.unref();
  (watchdog.stdin as (Writable & { unref?: () => void }) | null)?.unref?.();
  return watchdog;
}

// Starts the emulator on a free port with its own data directory; resolves once it listens (~10 s).
export async function startPubsubEmulator(): Promise<PubsubEmulator> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'pubsub-emulator-'));
  const host = `127.0.0.1:${port}`;
  const args = ['beta', 'emulators', 'pubsub', 'start', `--host-port=${host}`];
  const child = spawn('gcloud', [...args, `--data-dir=${dataDir}`], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  const watchdog = pid === undefined ? undefined : watch(pid);
  const cleanup = () => {
    watchdog?.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForStart(child);
  } catch (err) {
    if (pid !== undefined) await stopGroup(pid);
    cleanup();
    throw err;
  }
  return {
    host,
    projectId: 'tekton-provenance-test',
    close: async () => {
      if (pid !== undefined) await stopGroup(pid);
      cleanup();
    },
  };
}

// Resolves on "Server started" in the emulator's output; rejects when gcloud is absent, exits or is slow.
function waitForStart(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const fail = (why: string) => {
      clearTimeout(timer);
      reject(new Error(`${MISSING} (${why}); output: ${output.slice(-500)}`));
    };
    const timer = setTimeout(
      () => fail('no "Server started" in 60 s'),
      START_TIMEOUT_MS
    );
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (!output.includes('Server started')) return;
      clearTimeout(timer);
      output = '';
      // Keep draining the pipes (a full pipe would block the server); nothing more is kept.
      child.stdout?.off('data', read).resume();
      child.stderr?.off('data', read).resume();
      resolve();
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('error', (err) => fail(err.message));
    child.once('exit', (code) => fail(`gcloud exited with ${code}`));
  });
}
