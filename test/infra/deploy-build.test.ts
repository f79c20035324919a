// The build:deploy output is what Cloud Functions runs: it must start under functions-framework on its own
// package.json and answer Tekton's CloudEvents with production-only code.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, generateKeyPairSync, verify } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEPLOY_MAIN } from '../../scripts/build-deploy.js';
import { CHUNK_DIR, EXTERNALS } from '../../scripts/deploy-bundle.js';
import { repoRoot } from './hcl.js';
import {
  buildDeployFixture,
  freePort,
  pae,
  waitUntilServing,
  type DeployFixture,
} from './deploy-fixture.js';

const UID = '5f0c2b1e-3d4a-4b6c-8e9f-0a1b2c3d4e5f';
const DIGEST = createHash('sha256').update('deploy-build image').digest('hex');
const TASKRUN = {
  taskRun: {
    metadata: { name: 'deploy-smoke', namespace: 'ci', uid: UID },
    spec: {
      taskRef: { name: 'buildah', kind: 'Task' },
      serviceAccountName: 'build-bot',
    },
    status: {
      conditions: [{ type: 'Succeeded', status: 'True', reason: 'Succeeded' }],
      podName: 'deploy-smoke-pod',
      startTime: '2026-05-04T10:20:00Z',
      completionTime: '2026-05-04T10:21:00Z',
      taskResults: [
        { name: 'IMAGE_URL', value: 'registry.example/team/app' },
        { name: 'IMAGE_DIGEST', value: `sha256:${DIGEST}` },
      ],
    },
  },
};

function postEvent(
  url: string,
  type: string,
  body: unknown
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'ce-specversion': '1.0',
      'ce-id': `deploy-build-${type}`,
      'ce-type': type,
      'ce-source': '/apis///namespaces/ci//deploy-smoke',
      'ce-subject': 'deploy-smoke',
    },
    body: JSON.stringify(body),
  });
}

describe('build:deploy output under functions-framework', function () {
  this.timeout(30000);
  let fixture: DeployFixture | undefined;
  let child: ChildProcess | undefined;
  let url = '';
  let publicKey = '';

  before(async function () {
    fixture = await buildDeployFixture();
    if (!fixture) return this.skip(); // dist/functions/index.js absent: run `npm run build` first
    const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const signer = join(fixture.tmp, 'signing.pem');
    writeFileSync(
      signer,
      keys.privateKey.export({ type: 'pkcs8', format: 'pem' })
    );
    publicKey = keys.publicKey
      .export({ type: 'spki', format: 'pem' })
      .toString();
    const port = await freePort();
    url = `http://127.0.0.1:${port}/`;
    const ff = join(
      fixture.out,
      'node_modules',
      '@google-cloud',
      'functions-framework',
      'build',
      'src',
      'main.js'
    );
    // Production settings of attestRun, except the run source (no cluster here) and a local key and store.
    const env = {
      PATH: process.env.PATH,
      HOME: fixture.tmp,
      PORT: String(port),
      STORE: join(fixture.tmp, 'store'),
      SIGNER: signer,
      RUN_SOURCE: 'event',
      FORMATS: 'slsa/v0.2,slsa/v1.0',
      NODE_ENV: 'production',
      METADATA_SERVER_DETECTION: 'none',
    };
    child = spawn(process.execPath, [ff, '--target=attestRun'], {
      cwd: fixture.out,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    await waitUntilServing(url, child, () => log);
  });

  after(() => {
    if (child?.exitCode === null) child.kill();
    fixture?.cleanup();
  });

  it('ships one bundle (entry + chunks) and, as dependencies, only the unbundled packages at their locked versions', () => {
    assert.deepEqual(readdirSync(fixture!.out).sort(), [
      CHUNK_DIR, // code behind an import(), loaded on first use
      DEPLOY_MAIN,
      'node_modules', // the test's symlink to the repository's
      'package-lock.json',
      'package.json',
    ]);
    const pkg = JSON.parse(
      readFileSync(join(fixture!.out, 'package.json'), 'utf8')
    );
    assert.equal(pkg.main, DEPLOY_MAIN);
    assert.equal(pkg.type, 'module');
    assert.equal(pkg.devDependencies, undefined);
    assert.equal(
      pkg.scripts,
      undefined,
      'the buildpack would run a build script'
    );
    const repoLock = JSON.parse(
      readFileSync(join(repoRoot(), 'package-lock.json'), 'utf8')
    );
    assert.deepEqual(
      pkg.dependencies,
      Object.fromEntries(
        [...EXTERNALS]
          .sort()
          .map((n) => [n, repoLock.packages[`node_modules/${n}`].version])
      )
    );
    const lock = JSON.parse(
      readFileSync(join(fixture!.out, 'package-lock.json'), 'utf8')
    );
    assert.deepEqual(lock.packages[''].dependencies, pkg.dependencies);
    for (const [path, entry] of Object.entries(lock.packages)) {
      assert.ok(!(entry as { dev?: boolean }).dev, `dev-only ${path}`);
      if (path !== '') assert.deepEqual(entry, repoLock.packages[path], path);
    }
    assert.ok(
      !('node_modules/@kubernetes/client-node' in lock.packages),
      'bundled packages are not installed'
    );
    for (const file of fixture!.files)
      assert.match(file, /^(functions|shared)\/[\w/.-]+\.js$/);
  });

  it('keeps the client libraries lazy inside the bundle', () => {
    for (const name of [
      '@kubernetes/client-node',
      '@google-cloud/storage',
      '@google-cloud/pubsub',
      'google-auth-library',
      'cloudevents',
    ]) {
      assert.ok(fixture!.lazy.includes(name), `${name} loads on first use`);
      assert.ok(
        !fixture!.eager.includes(name),
        `${name} not evaluated at start`
      );
    }
    // Code splitting: the entry file holds none of them, so a cold start does not even parse them.
    const entry = readFileSync(join(fixture!.out, DEPLOY_MAIN), 'utf8');
    assert.ok(entry.length < 256 * 1024, `entry is ${entry.length} bytes`);
    assert.ok(readdirSync(join(fixture!.out, CHUNK_DIR)).length > 1);
  });

  it('acknowledges a non-terminal event and stores nothing', async () => {
    const res = await postEvent(
      url,
      'dev.tekton.event.taskrun.started.v1',
      TASKRUN
    );
    assert.ok([202, 204].includes(res.status), `status ${res.status}`);
    assert.ok(
      !existsSync(join(fixture!.tmp, 'store', 'runs')),
      'nothing written'
    );
  });

  it('attests a terminal event: 200, a signed envelope in the store', async () => {
    const res = await postEvent(
      url,
      'dev.tekton.event.taskrun.successful.v1',
      TASKRUN
    );
    const text = await res.text();
    assert.equal(res.status, 200, text);
    const key = `runs/ci/taskrun-deploy-smoke-${UID}/slsa-v0.2.dsse.json`;
    assert.ok(text.includes(key), text);
    const env = JSON.parse(
      readFileSync(join(fixture!.tmp, 'store', key), 'utf8')
    );
    const body = Buffer.from(env.payload, 'base64');
    const sig = Buffer.from(env.signatures[0].sig, 'base64');
    assert.ok(
      verify('sha256', pae(env.payloadType, body), publicKey, sig),
      'signature verifies'
    );
    const statement = JSON.parse(body.toString());
    assert.deepEqual(statement.subject, [
      { name: 'registry.example/team/app', digest: { sha256: DIGEST } },
    ]);
    const bySubject = join(
      fixture!.tmp,
      'store',
      'sha256',
      DIGEST,
      `taskrun-${UID}.slsa-v1.0.dsse.json`
    );
    assert.ok(readFileSync(bySubject).length > 0);
  });
});
