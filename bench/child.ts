// functions-framework child processes started the way the platform starts them (node + the framework's
// main.js, no npm), their production environment, and their memory from /proc.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect, createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { KUBE_TOKEN, type StandIns } from './stand-ins.js';
import { BUCKET } from './sink-inproc.js';

// The framework's CLI (its package `bin`); the package exports only its API, so resolve beside it.
const FF_MAIN = join(
  dirname(
    createRequire(import.meta.url).resolve('@google-cloud/functions-framework')
  ),
  'main.js'
);

export interface FunctionChild {
  proc: ChildProcess;
  pid: number;
  url: string;
  spawnedAt: number;
  // Milliseconds from spawn until the port first accepted a connection; rejects if the process exits first.
  listening: Promise<number>;
  stop(): Promise<void>;
}

// A free TCP port on 127.0.0.1 (bound then released).
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

// Resolves once 127.0.0.1:port accepts a TCP connection (tried every 2 ms; the framework logs nothing
// when NODE_ENV=production, so the port itself is the signal).
async function portAnswers(port: number, gone: () => boolean): Promise<void> {
  while (!gone()) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

// A kubeconfig file for the kube stand-in (plain http, so TLS verification is off) with a bearer token.
export function writeKubeconfig(dir: string, si: StandIns): string {
  const path = join(dir, 'kubeconfig.yaml');
  const text = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: bench\n  cluster:\n    server: ${si.kubeUrl}\n    insecure-skip-tls-verify: true`,
    'users:',
    `- name: sink\n  user:\n    token: ${KUBE_TOKEN}`,
    'contexts:',
    '- name: bench\n  context:\n    cluster: bench\n    user: sink',
    'current-context: bench',
    '',
  ].join('\n');
  writeFileSync(path, text);
  return path;
}

// The production configuration: Kubernetes source (kubeconfig), KMS signer, GCS store, all at the stand-ins.
export function productionEnv(
  si: StandIns,
  kubeconfig: string
): Record<string, string> {
  return {
    RUN_SOURCE: 'kubernetes',
    KUBECONFIG: kubeconfig,
    SIGNER: si.kmsRef,
    KMS_ENDPOINT: si.kmsRestUrl,
    STORE: `gs://${BUCKET}`,
    STORAGE_EMULATOR_HOST: si.gcsUrl,
  };
}

// Spawns `functions-framework --target=… --source=…` with only the given environment (plus PATH/HOME).
export async function spawnFunction(
  target: string,
  source: string,
  env: Record<string, string>,
  home: string,
  nodeArgs: string[] = []
): Promise<FunctionChild> {
  const port = await freePort();
  const spawnedAt = performance.now();
  const proc = spawn(
    process.execPath,
    [
      ...nodeArgs,
      FF_MAIN,
      `--target=${target}`,
      '--signature-type=http',
      `--source=${source}`,
    ],
    {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: home,
        METADATA_SERVER_DETECTION: 'none',
        PORT: String(port),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    }
  );
  let output = '';
  const keep = (chunk: Buffer) => {
    if (output.length < 20000) output += chunk.toString();
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const exited = new Promise<never>((_, reject) =>
    proc.once('exit', (code) =>
      reject(
        new Error(
          `${target} exited with ${String(code)}:\n${output.slice(-2000)}`
        )
      )
    )
  );
  exited.catch(() => undefined);
  const listening = Promise.race([
    portAnswers(port, () => proc.exitCode !== null || proc.signalCode !== null),
    exited,
  ]).then(() => performance.now() - spawnedAt);
  listening.catch(() => undefined);
  return {
    proc,
    pid: proc.pid ?? 0,
    url: `http://127.0.0.1:${port}/`,
    spawnedAt,
    listening,
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null)
          return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}

// VmHWM (peak resident set) of a process, in MiB.
export function peakRssMiB(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(
    readFileSync(`/proc/${pid}/status`, 'utf8')
  );
  return m ? Number(m[1]) / 1024 : NaN;
}

// Resets VmHWM to the current RSS (Linux clear_refs 5); false when the kernel refuses.
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

// CPU time (user + system) a process has used so far, in milliseconds (10 ms clock ticks).
export function cpuMs(pid: number): number {
  const fields =
    readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
