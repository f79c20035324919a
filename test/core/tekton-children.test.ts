import assert from 'node:assert/strict';
import {
  childTaskRunRefs,
  IGNORED_CHILD_REASONS,
  isOwnedBy,
  makeRunInput,
  missingOrUnfinishedChildren,
  normaliseRun,
  notAChildReason,
  pipelineTaskNameOf,
  taskRunsOf,
} from '../../shared/core/tekton.js';
import type { PipelineRun, TaskRun } from '../../shared/core/types.js';
import { childTaskRun, pipelineRun } from './run-builders.js';

type Json = Record<string, unknown>;

// Issue 13: a TaskRun is a child of PipelineRun P iff P's childReferences name it (kind TaskRun), its
// ownerReference names P's uid, and it is in P's namespace; its task is that entry's pipelineTaskName.
describe('Tekton children: childReferences + ownerReference, never labels', () => {
  const ref = (name: string, task: string, kind = 'TaskRun') => ({
    apiVersion: 'tekton.dev/v1',
    kind,
    name,
    pipelineTaskName: task,
  });
  const run = normaliseRun(
    pipelineRun([{ name: 'a' }, { name: 'b' }], {
      status: {
        childReferences: [
          ref('pr-b', 'b'),
          ref('pr-a', 'a'),
          ref('pr-a2', 'a'),
          ref('cr', 'c', 'CustomRun'),
          ref('nested', 'n', 'PipelineRun'),
        ],
      },
    })
  ) as PipelineRun;
  const tr = (name: string, task: string, meta: Json = {}): TaskRun => {
    const raw = childTaskRun(name, task);
    raw['metadata'] = { ...(raw['metadata'] as Json), ...meta };
    return normaliseRun(raw) as TaskRun;
  };
  const labels = (task: string) => ({
    labels: {
      'tekton.dev/pipelineTask': task,
      'tekton.dev/pipelineRun': 'pr',
      'tekton.dev/pipelineRunUID': 'uid-pr',
    },
  });

  it('files a genuine child under its childReferences task, whatever its pipelineTask label says', () => {
    const relabelled = tr('pr-b', 'a');
    assert.equal(pipelineTaskNameOf(run, relabelled), 'b');
    const input = makeRunInput(run, [relabelled, tr('pr-a', 'a')]);
    assert.deepStrictEqual(
      taskRunsOf(input, 'a').map((t) => t.metadata.name),
      ['pr-a']
    );
    assert.deepStrictEqual(
      taskRunsOf(input, 'b').map((t) => t.metadata.name),
      ['pr-b']
    );
  });

  const cases: [string, TaskRun | ReturnType<typeof normaliseRun>, string][] = [
    [
      'labels only, no ownerReference',
      tr('x', 'a', { ...labels('a'), ownerReferences: [] }),
      'not-in-child-references',
    ],
    [
      'an ownerReference to the uid, not in childReferences',
      tr('x', 'a'),
      'not-in-child-references',
    ],
    [
      'named in childReferences, labelled, no ownerReference',
      tr('pr-a', 'a', { ...labels('a'), ownerReferences: [] }),
      'not-owned',
    ],
    [
      'named in childReferences, owner of another uid',
      tr('pr-a', 'a', {
        ownerReferences: [{ kind: 'PipelineRun', name: 'pr', uid: 'u2' }],
      }),
      'not-owned',
    ],
    [
      'an owner of another kind with the uid',
      tr('pr-a', 'a', {
        ownerReferences: [{ kind: 'Pipeline', uid: 'uid-pr' }],
      }),
      'not-owned',
    ],
    [
      'another namespace',
      tr('pr-a', 'a', { namespace: 'other' }),
      'other-namespace',
    ],
    ['a name of a CustomRun entry', tr('cr', 'c'), 'not-in-child-references'],
    ['a PipelineRun', run, 'not-a-taskrun'],
  ];
  for (const [label, offered, reason] of cases) {
    it(`ignores ${label} (${reason}), never an error`, () => {
      assert.ok((IGNORED_CHILD_REASONS as readonly string[]).includes(reason));
      assert.equal(notAChildReason(run, offered), reason);
      const input = makeRunInput(run, [offered]);
      assert.deepStrictEqual(input.taskRuns, []);
      assert.deepStrictEqual(input.ignored, [
        {
          name: offered.metadata.name,
          namespace: offered.metadata.namespace,
          uid: offered.metadata.uid,
          reason,
        },
      ]);
      if (offered.kind === 'TaskRun') {
        assert.equal(pipelineTaskNameOf(run, offered), undefined);
        const forged = { run, taskRuns: [offered] };
        assert.deepStrictEqual(taskRunsOf(forged, 'a'), []);
      }
    });
  }

  it('de-duplicates by uid and orders by childReferences, then name and uid', () => {
    const a2 = tr('pr-a2', 'a');
    const input = makeRunInput(run, [a2, tr('pr-a', 'a'), tr('pr-b', 'b'), a2]);
    assert.deepStrictEqual(
      input.taskRuns.map((t) => t.metadata.name),
      ['pr-b', 'pr-a', 'pr-a2']
    );
    assert.deepStrictEqual(input.ignored, []);
    const again = tr('pr-a', 'a', { uid: 'uid-0' });
    const twice = makeRunInput(run, [tr('pr-a', 'a'), again]);
    assert.deepStrictEqual(
      twice.taskRuns.map((t) => t.metadata.uid),
      ['uid-0', 'uid-pr-a']
    );
    const task = tr('t', 'a');
    assert.deepStrictEqual(taskRunsOf({ run: task, taskRuns: [] }, 'a'), []);
  });

  it('waits only for childReferences of kind TaskRun without a finished genuine child', () => {
    const unowned = tr('pr-b', 'b', { ownerReferences: [] });
    const running = normaliseRun({
      ...childTaskRun('pr-a2', 'a'),
      status: { conditions: [{ type: 'Succeeded', status: 'Unknown' }] },
    }) as TaskRun;
    const input = { run, taskRuns: [tr('pr-a', 'a'), unowned, running] };
    assert.deepStrictEqual(missingOrUnfinishedChildren(input), [
      'pr-b',
      'pr-a2',
    ]);
    assert.deepStrictEqual(
      [...childTaskRunRefs(run).keys()],
      ['pr-b', 'pr-a', 'pr-a2']
    );
  });

  it('reads ownerReferences defensively', () => {
    for (const meta of [
      undefined,
      'x',
      { ownerReferences: 'x' },
      { ownerReferences: [null, 1] },
    ]) {
      assert.equal(isOwnedBy(meta, 'uid-pr'), false);
    }
    assert.equal(
      isOwnedBy(
        { ownerReferences: [{ kind: 'PipelineRun', uid: 'uid-pr' }] },
        'uid-pr'
      ),
      true
    );
  });
});
