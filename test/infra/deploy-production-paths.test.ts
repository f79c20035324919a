// The shipped bundle on production's call paths: the kubeconfig source (client-node's KubeConfig, the lean
// GET/LIST, and CustomObjectsApi for reconcile's list), Cloud KMS over REST and the GCS JSON API, against the
// stand-ins. Bundling choices (chunks, what esbuild may leave out) are only proven by running the bundle.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { verify } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeSyntheticPipeline } from '../fixtures/synthetic-pipeline.js';
import { startGcsServer, type GcsServer } from '../stand-ins/gcs-server.js';
import { startKmsServer, type KmsServer } from '../stand-ins/kms-server.js';
import { startKubeServer, type KubeStandIn } from '../stand-ins/kube-server.js';
import {
  buildDeployFixture,
  freePort,
  pae,
  waitUntilServing,
  type DeployFixture,
} from './deploy-fixture.js';

const TOKEN = 'deploy-paths-token';
const BUCKET = 'prov';

function kubeconfigAt(path: string, server: string): string {
  writeFileSync(
    path,
    [
      'apiVersion: v1',
      'kind: Config',
      `clusters:\n- name: c\n  cluster:\n    server: ${server}\n    insecure-skip-tls-verify: true`, // plain-http stand-in
      `users:\n- name: u\n  user:\n    token: ${TOKEN}`,
      'contexts:\n- name: x\n  context:\n    cluster: c\n    user: u',
      'current-context: x',
      '',
    ].join('\n')
  );
  return path;
}

describe('build:deploy output on the production paths (kubeconfig, KMS REST, GCS JSON API)', function () {
  this.timeout(60000);
  let fixture: DeployFixture | undefined;
  let kube: KubeStandIn;
  let kms: KmsServer;
  let gcs: GcsServer;
  const children: ChildProcess[] = [];
  let env: Record<string, string> = {};

  before(async function () {
    fixture = await buildDeployFixture();
    if (!fixture) return this.skip(); // dist/functions/index.js absent: run `npm run build` first
    [kube, kms, gcs] = await Promise.all([
      startKubeServer({ token: TOKEN }),
      startKmsServer(),
      startGcsServer(),
    ]);
    env = {
      PATH: process.env.PATH ?? '',
      HOME: fixture.tmp,
      NODE_ENV: 'production',
      METADATA_SERVER_DETECTION: 'none',
      RUN_SOURCE: 'kubernetes',
      KUBECONFIG: kubeconfigAt(join(fixture.tmp, 'kubeconfig'), kube.url),
      SIGNER: kms.ref,
      KMS_ENDPOINT: kms.restUrl,
      STORE: `gs://${BUCKET}`,
      STORAGE_EMULATOR_HOST: gcs.url,
    };
  });

  after(async () => {
    for (const c of children) if (c.exitCode === null) c.kill();
    await Promise.all([kube?.close(), kms?.close(), gcs?.close()]);
    fixture?.cleanup();
  });

  async function serve(target: string): Promise<string> {
    const port = await freePort();
    const ff = join(
      fixture!.out,
      'node_modules/@google-cloud/functions-framework/build/src/main.js'
    );
    const child = spawn(process.execPath, [ff, `--target=${target}`], {
      cwd: fixture!.out,
      env: { ...env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let log = '';
    child.stdout.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr.on('data', (d: Buffer) => (log += d.toString()));
    const url = `http://127.0.0.1:${port}/`;
    await waitUntilServing(url, child, () => log);
    return url;
  }

  function storedEnvelope(key: string) {
    const object = gcs.objects.get(`${BUCKET}/${key}`);
    assert.ok(object, `${key} stored`);
    return JSON.parse(object.bytes.toString()) as {
      payloadType: string;
      payload: string;
      signatures: { sig: string }[];
    };
  }

  it('attestRun fetches the run through KubeConfig, signs with KMS over REST and stores in GCS', async () => {
    const p = makeSyntheticPipeline(3, { name: 'deploy-prod' });
    for (const o of [p.pipelineRun, ...p.taskRuns]) kube.upsert(o);
    const uid = String(p.pipelineRun.metadata.uid);
    const url = await serve('attestRun');
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'ce-specversion': '1.0',
        'ce-id': 'deploy-paths-1',
        'ce-type': 'dev.tekton.event.pipelinerun.successful.v1',
        'ce-source': '/apis///namespaces/ci//deploy-prod',
      },
      body: JSON.stringify({ pipelineRun: p.pipelineRun }),
    });
    const text = await res.text();
    assert.equal(res.status, 200, text);
    const env = storedEnvelope(
      `runs/ci/pipelinerun-deploy-prod-${uid}/slsa-v0.2.dsse.json`
    );
    const body = Buffer.from(env.payload, 'base64');
    const sig = Buffer.from(env.signatures[0]!.sig, 'base64');
    assert.ok(
      verify('sha256', pae(env.payloadType, body), kms.publicKeyPem(), sig),
      'the KMS signature verifies'
    );
    const tasks = (
      JSON.parse(body.toString()) as {
        predicate: { buildConfig: { tasks: { name: string }[] } };
      }
    ).predicate.buildConfig.tasks.map((t) => t.name);
    assert.deepEqual(tasks, ['task-0', 'task-1', 'task-2']);
    assert.equal(kms.counters.asymmetricSign, 1);
    assert.ok(
      kube.requests.every((r) => r.method === 'GET'),
      'the cluster is only read'
    );
  });

  it('reconcile lists runs through the bundled CustomObjectsApi and attests the one never delivered', async () => {
    const p = makeSyntheticPipeline(2, { name: 'deploy-lost' });
    for (const o of [p.pipelineRun, ...p.taskRuns]) kube.upsert(o);
    const uid = String(p.pipelineRun.metadata.uid);
    const url = await serve('reconcile');
    const days =
      Math.ceil((Date.now() - Date.parse('2026-05-04T00:00:00Z')) / 864e5) + 1;
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ window: `${days}d` }),
    });
    const text = await res.text();
    assert.equal(res.status, 200, text);
    const report = JSON.parse(text) as {
      attestedNow: number;
      failed: { count: number };
    };
    assert.equal(report.failed.count, 0, text);
    assert.ok(report.attestedNow >= 1, text);
    storedEnvelope(
      `runs/ci/pipelinerun-deploy-lost-${uid}/slsa-v0.2.dsse.json`
    );
  });
});
