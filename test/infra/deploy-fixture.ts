// Runs the build:deploy script into a temporary directory and lets the output resolve the repository's
// node_modules through a symlink (a real `npm ci --omit=dev` needs the network and ~30 s).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildDeploy,
  FUNCTIONS_ENTRY,
  type DeployBuild,
} from '../../scripts/build-deploy.js';
import { repoRoot } from './hcl.js';

export interface DeployFixture extends DeployBuild {
  tmp: string;
  cleanup(): void;
}

// undefined when dist/ has no compiled functions entry (run `npm run build`); the caller skips.
export async function buildDeployFixture(): Promise<DeployFixture | undefined> {
  const root = repoRoot();
  const dist = join(root, 'dist');
  if (!existsSync(join(dist, FUNCTIONS_ENTRY))) return undefined;
  const tmp = mkdtempSync(join(tmpdir(), 'tp-deploy-'));
  const build = await buildDeploy({ root, dist, out: join(tmp, 'deploy') });
  symlinkSync(
    join(root, 'node_modules'),
    join(build.out, 'node_modules'),
    'dir'
  );
  return {
    ...build,
    tmp,
    cleanup: () => rmSync(tmp, { recursive: true, force: true }),
  };
}

// Runs a node process in `cwd` and resolves with its exit code and output.
export function runNode(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// A port nobody listens on right now.
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

// Polls until the server accepts connections (or the child exits).
export async function waitUntilServing(
  url: string,
  child: ChildProcess,
  log: () => string
): Promise<void> {
  const deadline = Date.now() + 15000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`functions-framework exited ${child.exitCode}: ${log()}`);
    try {
      await fetch(url, { method: 'GET' });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`functions-framework did not serve in 15 s: ${log()}`);
}

// DSSE pre-authentication encoding, written out by hand as an independent check.
export function pae(type: string, body: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} ${type} ${body.length} `),
    body,
  ]);
}
