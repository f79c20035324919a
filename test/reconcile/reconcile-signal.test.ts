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
import { startEmulated, type Emulated } from '../functions/signal-harness.js';
import { startKubeServer, type KubeStandIn } from '../stand-ins/kube-server.js';
import { makePipeline, uidOf } from './runs.js';

const TOKEN = 'reconcile-signal-token';
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000);
let n = 0;

describe('reconcile: the attested signal on the Pub/Sub emulator', function () {
  this.timeout(90_000);
  let ps: Emulated;
  let kube: KubeStandIn;
  let dir: string;

  before(async () => {
    ps = await startEmulated();
    kube = await startKubeServer({ token: TOKEN });
    // A PipelineRun of two tasks whose events were all lost: three runs.
    kube.setRuns(makePipeline('release', 2, { completedAt: ago(10) }));
  });
  after(async () => {
    await kube?.close();
    await ps?.close();
  });
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'reconcile-signal-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const reconcileOn = (topic: string) => {
    const config = loadConfig({
      KUBE_SERVER: kube.url,
      KUBE_TOKEN: TOKEN,
      STORE: join(dir, 'store'),
      ATTESTED_TOPIC: ps.topicName(topic),
    });
    const name = `reconcileSignalTest${++n}`;
    const deps = makeDeps(config, createMemoryLogger(), {
      cwd: dir,
      pubsubApiEndpoint: ps.emulator.host,
    });
    ff.http(name, makeReconcile(reconcileDeps(deps)));
    const http = request(getTestServer(name));
    return async () => (await http.post('/').send({}).expect(200)).body;
  };
  const markers = async () =>
    (await readdir(join(dir, 'store'), { recursive: true }))
      .filter((f) => f.endsWith('attested.signal.json'))
      .sort();

  it('publishes once per run it attests, and nothing on the next sweep', async () => {
    await ps.createTopic('swept');
    const inbox = await ps.subscribe('swept', 'swept-waits');
    const sweep = reconcileOn('swept');
    const first = await sweep();
    assert.equal(first.attestedNow, 3);
    assert.deepEqual(first.failed, { count: 0, items: [] });
    const received = await inbox.settle(3);
    const uids = received.map((r) => r.attributes.uid).sort();
    const expected = ['release', 'release-task-0', 'release-task-1']
      .map((name) => uidOf(`ci/${name}`))
      .sort();
    assert.deepEqual(uids, expected);
    const pr = received.find((r) => r.attributes.kind === 'PipelineRun');
    assert.equal((pr?.message.run as { name: string }).name, 'release');
    assert.equal((await markers()).length, 3);
    const second = await sweep();
    assert.equal(second.alreadyAttested, 3);
    assert.equal(second.attestedNow, 0);
    assert.equal((await inbox.settle(4, 0, 3000)).length, 3, 'nothing new');
  });

  it('counts a failed publish as a failure of that run, and signals it on a later sweep', async () => {
    const sweep = reconcileOn('swept-late');
    const failed = await sweep();
    assert.equal(failed.failed.count, 3);
    for (const item of failed.failed.items)
      assert.equal(item.code, 'SIGNAL_PUBLISH_FAILED');
    assert.deepEqual(await markers(), []);
    await ps.createTopic('swept-late');
    const inbox = await ps.subscribe('swept-late', 'late-waits');
    const later = await sweep();
    assert.deepEqual(later.failed, { count: 0, items: [] });
    assert.equal(
      later.attestedNow,
      0,
      'the keys were stored by the first sweep'
    );
    assert.equal(later.alreadyAttested, 3);
    assert.equal((await inbox.settle(3)).length, 3);
    assert.equal((await markers()).length, 3);
  });
});
