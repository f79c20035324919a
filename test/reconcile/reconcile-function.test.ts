import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ff from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import request from 'supertest';
import { makeDeps } from '../../functions/deps.js';
import { makeReconcile, reconcileDeps } from '../../functions/reconcile.js';
import { loadConfig } from '../../shared/config.js';
import { createMemoryLogger } from '../../shared/log.js';
import { startKubeServer, type KubeStandIn } from '../stand-ins/kube-server.js';
import { makePipeline, makeTaskRun } from './runs.js';
import { startWorld } from './world.js';

const TOKEN = 'reconcile-fn-token';
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000);
let n = 0;

describe('reconcile HTTP function (functions-framework test server)', () => {
  let kube: KubeStandIn;
  let dir: string;
  let http: ReturnType<typeof request>;

  beforeEach(async () => {
    kube = await startKubeServer({ token: TOKEN });
    kube.setRuns([
      makeTaskRun('build-a', { completedAt: ago(5) }),
      makeTaskRun('build-b', { namespace: 'team', completedAt: ago(90) }),
      ...makePipeline('release', 3, { completedAt: ago(10) }),
      makeTaskRun('still-running', {}),
    ]);
    dir = await mkdtemp(join(tmpdir(), 'reconcile-fn-'));
    const config = loadConfig({
      KUBE_SERVER: kube.url,
      KUBE_TOKEN: TOKEN,
      STORE: join(dir, 'store'),
      FORMATS: 'slsa/v0.2,slsa/v1.0',
      RECONCILE_PAGE_SIZE: '2',
    });
    const name = `reconcileTest${++n}`;
    const logger = createMemoryLogger();
    ff.http(
      name,
      makeReconcile(reconcileDeps(makeDeps(config, logger, { cwd: dir })))
    );
    http = request(getTestServer(name));
  });
  afterEach(async () => {
    await kube.close();
    await rm(dir, { recursive: true, force: true });
  });

  const stored = async () =>
    (await readdir(join(dir, 'store'), { recursive: true })).filter((f) =>
      f.endsWith('.dsse.json')
    );

  it('answers 200 with the counts for {} and attests nothing the second time', async () => {
    const res = await http.post('/').send({}).expect(200);
    assert.equal(res.body.examined, 7);
    assert.equal(res.body.attestedNow, 6);
    assert.deepEqual(res.body.skipped, {
      count: 1,
      reasons: { 'not finished': 1 },
    });
    assert.deepEqual(res.body.failed, { count: 0, items: [] });
    assert.equal(res.body.complete, true);
    assert.equal(typeof res.body.durationMs, 'number');
    const runKeys = (await stored()).filter((f) => f.startsWith('runs/'));
    assert.equal(runKeys.length, 12, 'two formats for six runs');
    const again = await http
      .post('/')
      .set('content-type', 'application/json')
      .send('')
      .expect(200);
    assert.equal(again.body.attestedNow, 0);
    assert.equal(again.body.alreadyAttested, 6);
  });

  it('takes window and namespaces from the body', async () => {
    const res = await http
      .post('/')
      .send({ window: '1h', namespaces: ['team', 'ci'] })
      .expect(200);
    assert.equal(res.body.attestedNow, 5, 'build-b finished 90 minutes ago');
    assert.equal(res.body.outsideWindow, 1);
    assert.ok(
      kube.requests.some(
        (r) => r.path === '/apis/tekton.dev/v1/namespaces/team/taskruns'
      )
    );
  });

  it('carries on from a continue token given in the body', async () => {
    const w = await startWorld();
    try {
      const partial = await w.sweep({ budgetMs: 0 });
      assert.equal(partial.complete, false);
      const token = String(partial.continue);
      const res = await http.post('/').send({ continue: token }).expect(200);
      assert.equal(res.body.complete, true);
    } finally {
      await w.close();
    }
  });

  for (const [what, body] of [
    ['a bad window', { window: 'soon' }],
    ['namespaces that are not a list of names', { namespaces: 'ci' }],
    ['an unknown field', { windw: '6h' }],
    ['a forged continue token', { continue: 'bm90IGEgdG9rZW4' }],
    ['a JSON array', [1]],
  ] as const) {
    it(`answers 400 with a coded error for ${what}, and stores nothing`, async () => {
      const res = await http
        .post('/')
        .send(body as object)
        .expect(400);
      assert.equal(res.body.error.code, 'EVENT_MALFORMED');
      assert.match(res.body.error.message, /expected/);
      assert.deepEqual(await stored().catch(() => []), []);
    });
  }

  it('answers 405 to GET', async () => {
    const res = await http.get('/').expect(405);
    assert.equal(res.headers.allow, 'POST');
  });

  it('answers 503 with Retry-After when the Kubernetes list fails', async () => {
    kube.fault = () => ({ status: 500 });
    const res = await http.post('/').send({}).expect(503);
    assert.equal(
      res.body.error.code,
      'KUBE_UNAVAILABLE',
      JSON.stringify(res.body)
    );
    assert.ok(Number(res.headers['retry-after']) > 0);
    kube.fault = undefined;
    const ok = await http.post('/').send({}).expect(200);
    assert.equal(ok.body.attestedNow, 6);
  });
});
