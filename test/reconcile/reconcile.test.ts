import assert from 'node:assert/strict';
import { runPrefix } from '../../shared/core/layout.js';
import { IN_WINDOW, signatureValid, startWorld, type World } from './world.js';
import { uidOf } from './runs.js';

const prefixOf = (
  kind: 'taskrun' | 'pipelinerun',
  name: string,
  namespace = 'ci'
) => runPrefix({ kind, namespace, name, uid: uidOf(`${namespace}/${name}`) });

describe('reconcile (kube stand-in, real @kubernetes/client-node, directory store)', () => {
  let w: World;
  beforeEach(async () => {
    w = await startWorld();
  });
  afterEach(() => w.close());

  it('attests exactly the N−M unattested finished runs, paging with limit/continue', async () => {
    const first = await w.sweep({ namespaces: ['other'] });
    assert.equal(first.attestedNow, 2);
    w.kube.requests.length = 0;
    const report = await w.sweep();
    assert.deepEqual(
      {
        examined: report.examined,
        already: report.alreadyAttested,
        now: report.attestedNow,
        outside: report.outsideWindow,
      },
      { examined: IN_WINDOW + 1, already: 2, now: IN_WINDOW - 2, outside: 1 }
    );
    assert.deepEqual(report.skipped, {
      count: 1,
      reasons: { 'not finished': 1 },
    });
    assert.deepEqual(report.failed, { count: 0, items: [] });
    assert.equal(report.complete, true);
    assert.equal(report.continue, undefined);
    const runKeys = await w.keys('runs/');
    assert.equal(runKeys.length, IN_WINDOW);
    assert.deepEqual(await w.keys(prefixOf('taskrun', 'tr-running')), []);
    assert.deepEqual(await w.keys(prefixOf('taskrun', 'tr-old')), []);
    for (const key of runKeys)
      assert.ok(signatureValid(await w.read(key)), key);
    const pages = w.runLists();
    const trPages = pages.filter(
      (r) => r.path === '/apis/tekton.dev/v1/taskruns'
    );
    assert.equal(trPages.length, 5, '14 TaskRuns in pages of 3');
    assert.ok(trPages.every((r) => r.query.limit === '3'));
    assert.equal(
      trPages.filter((r) => r.query.continue !== undefined).length,
      4
    );
    assert.equal(
      pages.filter((r) => r.path === '/apis/tekton.dev/v1/pipelineruns').length,
      1
    );
  });

  it('stores PipelineRun statements with every child, and a second call attests nothing', async () => {
    await w.sweep();
    const [key] = await w.keys(prefixOf('pipelinerun', 'pl-0'));
    const statement = JSON.parse(
      Buffer.from((await w.read(key ?? '')).payload, 'base64').toString()
    );
    assert.equal(statement.predicate.buildConfig.tasks.length, 2);
    const before = await w.keys();
    w.kube.requests.length = 0;
    const again = await w.sweep();
    assert.equal(again.attestedNow, 0);
    assert.equal(again.alreadyAttested, IN_WINDOW);
    assert.deepEqual(await w.keys(), before);
    assert.ok(
      w.kube.requests.every(
        (r) => r.query.labelSelector === undefined && /s$/.test(r.path)
      ),
      'lists only'
    );
  });

  it('attests the missing format of a partly attested run', async () => {
    await w.sweep({ namespaces: ['other'] }, ['slsa/v0.2']);
    const report = await w.sweep({ namespaces: ['other'] }, [
      'slsa/v0.2',
      'slsa/v1.0',
    ]);
    assert.equal(report.attestedNow, 2);
    const keys = await w.keys(prefixOf('taskrun', 'tr-a', 'other'));
    assert.deepEqual(
      keys.map((k) => k.split('/').pop()),
      ['slsa-v0.2.dsse.json', 'slsa-v1.0.dsse.json']
    );
  });

  it('skips a PipelineRun with a missing child and stores nothing for it', async () => {
    w.kube.remove('taskruns', 'ci', 'pl-0-task-1');
    const report = await w.sweep();
    assert.deepEqual(report.skipped.reasons, {
      'not finished': 1,
      'children incomplete': 1,
    });
    assert.equal(report.attestedNow, IN_WINDOW - 2);
    assert.deepEqual(await w.keys(prefixOf('pipelinerun', 'pl-0')), []);
    assert.equal((await w.keys(prefixOf('pipelinerun', 'pl-1'))).length, 1);
  });
});
