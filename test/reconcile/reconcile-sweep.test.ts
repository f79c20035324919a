import assert from 'node:assert/strict';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { SourceError } from '../../shared/core/errors.js';
import { runPrefix } from '../../shared/core/layout.js';
import { IN_WINDOW, minutesAgo, startWorld, type World } from './world.js';
import { makePipeline, makeTaskRun, uidOf } from './runs.js';

const prefixOf = (
  kind: 'taskrun' | 'pipelinerun',
  name: string,
  namespace = 'ci'
) => runPrefix({ kind, namespace, name, uid: uidOf(`${namespace}/${name}`) });

describe('reconcile sweeps: failures, budget, expired tokens, namespaces', () => {
  let w: World;
  beforeEach(async () => {
    w = await startWorld();
  });
  afterEach(() => w.close());

  it('reports failing runs with their code and still attests the others', async () => {
    const eventId = 'triggers.tekton.dev/triggers-eventid';
    w.kube.upsert(
      makeTaskRun('tr-4', {
        completedAt: minutesAgo(14),
        labels: { [eventId]: 'evt-broken' },
      })
    );
    await mkdir(join(w.dir, 'events/evt-broken/event.dsse.json'), {
      recursive: true,
    });
    const replacement = makePipeline('pl-1', 2, {
      completedAt: minutesAgo(1),
      uid: 'replaced-uid-1',
    })[0];
    let swapped = false;
    w.kube.fault = (req) => {
      if (req.path.endsWith('/taskruns/tr-2')) return { status: 500 };
      if (req.path.endsWith('/pipelineruns/pl-1') && !swapped) {
        swapped = true; // deleted and re-created between the LIST and the GET
        w.kube.upsert(replacement ?? {});
      }
      return undefined;
    };
    const report = await w.sweep();
    const byRun = (a: { run: string }, b: { run: string }) =>
      a.run.localeCompare(b.run);
    assert.deepEqual([...report.failed.items].sort(byRun), [
      { run: 'ci/pipelinerun/pl-1', code: 'RUN_NOT_FOUND' },
      { run: 'ci/taskrun/tr-2', code: 'KUBE_UNAVAILABLE' },
      { run: 'ci/taskrun/tr-4', code: 'STORE_READ_FAILED' },
    ]);
    assert.equal(report.failed.count, 3);
    assert.equal(report.attestedNow, IN_WINDOW - 3);
    assert.equal(report.complete, true);
    assert.equal((await w.keys('runs/')).length, IN_WINDOW - 3);
    assert.deepEqual(await w.keys(prefixOf('taskrun', 'tr-2')), []);
    assert.ok(
      w.logger.entries.some(
        (e) => e.severity === 'WARNING' && e.message.includes('ci/taskrun/tr-2')
      )
    );

    w.kube.fault = undefined;
    await rm(join(w.dir, 'events'), { recursive: true });
    const retry = await w.sweep();
    assert.equal(retry.attestedNow, 2, 'tr-2 and tr-4');
    assert.equal(retry.failed.count, 0);
    // The re-created pl-1 has no children of its own yet: reported, never attested incomplete.
    assert.deepEqual(retry.skipped.reasons, {
      'not finished': 1,
      'children incomplete': 1,
    });
    assert.deepEqual(
      await w.keys('runs/ci/pipelinerun-pl-1-replaced-uid-1/'),
      []
    );
  });

  it('stops when the time budget is spent and carries on from the continue token', async () => {
    let report = await w.sweep({ budgetMs: 0 });
    let calls = 1;
    let attested = report.attestedNow;
    while (!report.complete) {
      assert.ok(
        report.continue,
        'an incomplete report carries a continue token'
      );
      assert.ok(
        report.examined + report.outsideWindow <= 1,
        'at least one run per call, no more once over budget'
      );
      // The token fixes window and namespaces: these options are ignored when continuing.
      report = await w.sweep({
        budgetMs: 0,
        continue: report.continue,
        windowMs: 1,
        namespaces: ['other'],
      });
      attested += report.attestedNow;
      calls++;
      assert.ok(calls < 40, 'the sweep makes progress');
    }
    assert.ok(calls >= 16, `16 listed runs, one per call (got ${calls} calls)`);
    assert.equal(attested, IN_WINDOW);
    assert.equal((await w.keys('runs/')).length, IN_WINDOW);
    const finish = await w.sweep({ budgetMs: 60_000 });
    assert.equal(finish.attestedNow, 0);
  });

  it('starts a list over when its continue token has expired (410 Gone)', async () => {
    let expired = 0;
    w.kube.fault = (req) =>
      req.query.continue && expired++ === 0 ? { status: 410 } : undefined;
    const report = await w.sweep();
    assert.equal(expired > 0, true);
    assert.equal(report.complete, true);
    assert.equal(report.failed.count, 0);
    assert.equal((await w.keys('runs/')).length, IN_WINDOW);
  });

  it('resumes from a continue token whose list expired, without examining a run twice', async () => {
    let report = await w.sweep({ budgetMs: 0 });
    for (let i = 0; i < 4; i++)
      report = await w.sweep({ budgetMs: 0, continue: report.continue ?? '' });
    let expired = 0;
    w.kube.fault = (req) =>
      req.query.continue && expired++ === 0 ? { status: 410 } : undefined;
    const rest = await w.sweep({ continue: report.continue ?? '' });
    assert.equal(
      expired > 1,
      true,
      'the resumed page answered 410 and the list started over'
    );
    assert.equal(rest.complete, true);
    assert.equal(
      rest.examined + rest.outsideWindow,
      16 - 5,
      '16 listed runs, 5 done before'
    );
    assert.equal((await w.keys('runs/')).length, IN_WINDOW);
  });

  it('lists per namespace when namespaces are given', async () => {
    const report = await w.sweep({ namespaces: ['other', 'nowhere'] });
    assert.equal(report.attestedNow, 2);
    assert.deepEqual(
      [...new Set(w.runLists().map((r) => r.path))],
      [
        '/apis/tekton.dev/v1/namespaces/nowhere/taskruns',
        '/apis/tekton.dev/v1/namespaces/other/taskruns',
        '/apis/tekton.dev/v1/namespaces/nowhere/pipelineruns',
        '/apis/tekton.dev/v1/namespaces/other/pipelineruns',
      ]
    );
  });

  it('throws SourceError when the Kubernetes list itself fails', async () => {
    w.kube.fault = () => ({ status: 500 });
    await assert.rejects(
      w.sweep(),
      (err: unknown) =>
        err instanceof SourceError && err.code === 'KUBE_UNAVAILABLE'
    );
    assert.deepEqual(await w.keys(), []);
  });
});
