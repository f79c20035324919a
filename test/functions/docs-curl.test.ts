import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const FROM_SOURCE = import.meta.url.endsWith('.ts');

function repoRoot(dir = HERE): string {
  return existsSync(join(dir, 'package.json')) &&
    existsSync(join(dir, 'examples'))
    ? dir
    : repoRoot(dirname(dir));
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function waitForServer(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 150; i++) {
    if (child.exitCode !== null)
      throw new Error(`server exited with ${child.exitCode}`);
    if (
      await fetch(url).then(
        () => true,
        () => false
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not start');
}

// The sh block of docs/attest-run.md that posts the shipped events with curl.
async function docsCurlLoop(root: string): Promise<string> {
  const doc = await readFile(join(root, 'docs/attest-run.md'), 'utf8');
  const block = [...doc.matchAll(/```sh\n([\s\S]*?)```/g)]
    .map((m) => m[1]!)
    .find((b) => b.includes('curl'));
  assert.ok(block, 'docs/attest-run.md has a curl example');
  return block;
}

describe('docs/attest-run.md: npm start (functions-framework, embedded defaults) + the curl example', function () {
  this.timeout(60000);
  const root = repoRoot();
  let cwd: string;
  let child: ChildProcess;

  after(async () => {
    child?.kill('SIGTERM');
    if (cwd) await rm(cwd, { recursive: true, force: true });
  });

  it('stores attestations for the shipped TEP-0084 events, exactly as docs/attest-run.md shows', async () => {
    cwd = await mkdtemp(join(tmpdir(), 'npm-start-'));
    const port = await freePort();
    const ff = join(
      root,
      'node_modules/@google-cloud/functions-framework/build/src/main.js'
    );
    const source = FROM_SOURCE
      ? join(root, 'functions/index.ts')
      : join(root, 'dist/functions/index.js');
    const loader = FROM_SOURCE
      ? ['--import', join(root, 'node_modules/tsx/dist/loader.mjs')]
      : [];
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: cwd,
      PORT: String(port),
      RUN_SOURCE: 'event',
    };
    child = spawn(
      process.execPath,
      [
        ...loader,
        ff,
        '--target=attestRun',
        '--signature-type=http',
        `--source=${source}`,
      ],
      { cwd, env, stdio: 'ignore' }
    );
    await waitForServer(`http://127.0.0.1:${port}/`, child);
    const script = (await docsCurlLoop(root)).replaceAll(
      'localhost:8080',
      `127.0.0.1:${port}`
    );
    const out = await new Promise<string>((resolve, reject) =>
      execFile('bash', ['-c', script], { cwd: root }, (err, stdout) =>
        err
          ? reject(new Error(`curl loop failed: ${err.message}`))
          : resolve(stdout)
      )
    );
    const codes = out
      .trim()
      .split('\n')
      .map((l) => l.split(' ')[0]);
    assert.deepEqual(
      codes,
      ['204', '200', '200', '200', '200', '200', '200'],
      out
    );
    const runs = await readdir(join(cwd, 'attestations/runs/ci'));
    assert.equal(runs.length, 6);
    assert.ok(runs.some((r) => r.startsWith('pipelinerun-build-push-x7k2q-')));
    assert.ok(
      existsSync(join(cwd, '.keys/signing.pem')),
      'key generated on first start'
    );
  });
});
