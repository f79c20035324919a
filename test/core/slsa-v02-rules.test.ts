// One test per TEP-0084 / Chains rule of the SLSA v0.2 builder (issue 2 "Done when").
import assert from 'node:assert/strict';
import { buildSlsaV02 } from '../../shared/core/slsa-v02.js';
import { subjectsV02, subjectsV1 } from '../../shared/core/subjects.js';
import {
  BUILD_TYPE_PIPELINERUN_V02,
  BUILD_TYPE_TASKRUN_V02,
} from '../../shared/core/formats.js';
import { makeRunInput, normaliseRun } from '../../shared/core/tekton.js';
import type { BuildOptions, RunInput } from '../../shared/core/types.js';
import { HEX, childTaskRun, input, pipelineRun } from './run-builders.js';

type Json = Record<string, unknown>;
const OPTS: BuildOptions = {
  builderId: 'https://example.test/b',
  buildType: 'slsa',
  deepInspection: false,
};

function predicate(i: RunInput, opts: Partial<BuildOptions> = {}): Json {
  return (buildSlsaV02(i, { ...OPTS, ...opts }) as { predicate: Json })
    .predicate;
}
function tasks(i: RunInput): Json[] {
  return (predicate(i)['buildConfig'] as { tasks: Json[] }).tasks;
}
const summary = (i: RunInput) =>
  tasks(i).map((t) => [t['name'], t['after'] ?? []]);

describe('SLSA v0.2 rules', () => {
  it('uses the TEP-0084 buildTypes', () => {
    const pr = input(pipelineRun([{ name: 'a' }]), [childTaskRun('a-1', 'a')]);
    assert.equal(predicate(pr)['buildType'], BUILD_TYPE_PIPELINERUN_V02);
    const tr = makeRunInput(
      normaliseRun({
        ...childTaskRun('t', 'x'),
        metadata: { name: 't', namespace: 'ci', uid: 'u' },
      }),
      []
    );
    assert.equal(predicate(tr)['buildType'], BUILD_TYPE_TASKRUN_V02);
  });

  it('after: runAfter, result references (params, matrix, when, inline steps) and finally', () => {
    const pr = pipelineRun(
      [
        { name: 'clone' },
        { name: 'lint', runAfter: ['clone'] },
        {
          name: 'build',
          params: [{ name: 'rev', value: '$(tasks.clone.results.commit)' }],
        },
        {
          name: 'scan',
          matrix: {
            params: [
              { name: 'img', value: ['$(tasks.build.results.IMAGE_URL)'] },
            ],
            include: [
              { params: [{ name: 'x', value: '$(tasks.lint.results.ok)' }] },
            ],
          },
        },
        {
          name: 'gate',
          when: [
            {
              input: '$(tasks.scan.results.ok)',
              operator: 'in',
              values: ['true'],
            },
          ],
        },
        {
          name: 'inline',
          taskSpec: {
            steps: [{ name: 's', script: 'echo $(tasks.gate.results.x[*])' }],
          },
        },
      ],
      { finally: [{ name: 'notify' }, { name: 'report', runAfter: ['build'] }] }
    );
    const names = [
      'clone',
      'lint',
      'build',
      'scan',
      'gate',
      'inline',
      'notify',
      'report',
    ];
    const children = names.map((n, i) =>
      childTaskRun(`pr-${n}`, n, { start: `2024-01-01T00:0${i}:00Z` })
    );
    assert.deepStrictEqual(summary(input(pr, children)), [
      ['clone', []],
      ['lint', ['clone']],
      ['build', ['clone']],
      ['scan', ['build', 'lint']],
      ['gate', ['scan']],
      ['inline', ['gate']],
      ['notify', ['inline']],
      ['report', ['build']],
    ]);
  });

  it('orders tasks by start time (ties by name), not by spec order', () => {
    const pr = pipelineRun([{ name: 'b' }, { name: 'a' }, { name: 'c' }]);
    const children = [
      childTaskRun('pr-b', 'b', { start: '2024-01-01T00:00:05Z' }),
      childTaskRun('pr-a', 'a', { start: '2024-01-01T00:00:05Z' }),
      childTaskRun('pr-c', 'c', { start: '2024-01-01T00:00:01.5+00:00' }),
    ];
    assert.deepStrictEqual(
      tasks(input(pr, children)).map((t) => [t['name'], t['startedOn']]),
      [
        ['c', '2024-01-01T00:00:01.5Z'],
        ['a', '2024-01-01T00:00:05Z'],
        ['b', '2024-01-01T00:00:05Z'],
      ]
    );
  });

  it('omits skipped tasks and unfinished TaskRuns; after skips over them to their predecessors', () => {
    const pr = pipelineRun(
      [
        { name: 'a' },
        { name: 'skipped', runAfter: ['a'] },
        { name: 'c', runAfter: ['skipped'] },
        { name: 'd', runAfter: ['c'] },
      ],
      {
        status: {
          skippedTasks: [
            { name: 'skipped', reason: 'When Expressions evaluated to false' },
          ],
        },
      }
    );
    const children = [
      childTaskRun('pr-a', 'a'),
      childTaskRun('pr-c', 'c', { start: '2024-01-01T00:01:00Z' }),
      childTaskRun('pr-d', 'd', { end: null }),
    ];
    assert.deepStrictEqual(summary(input(pr, children)), [
      ['a', []],
      ['c', ['a']],
    ]);
  });

  it('keeps every TaskRun of a matrix task, each as its own entry', () => {
    const pr = pipelineRun([
      {
        name: 'build',
        matrix: { params: [{ name: 'arch', value: ['amd64', 'arm64'] }] },
      },
    ]);
    const children = [
      childTaskRun('pr-build-1', 'build'),
      childTaskRun('pr-build-0', 'build', { succeeded: false }),
    ];
    const entries = tasks(input(pr, children));
    assert.deepStrictEqual(
      entries.map((t) => [t['name'], t['status']]),
      [
        ['build', 'Failed'],
        ['build', 'Succeeded'],
      ]
    );
    assert.equal(entries[0]!['serviceAccountName'], 'builder');
  });

  it('parameters: spec defaults overridden by explicit params, for the run and each task', () => {
    const pr = pipelineRun([{ name: 'a' }], {
      spec: { params: [{ name: 'b', value: 'explicit' }] },
      status: {
        pipelineSpec: {
          params: [
            { name: 'a', default: 'dflt' },
            { name: 'b', default: 'x' },
            { name: 'c' },
          ],
          tasks: [{ name: 'a' }],
        },
      },
    });
    const child = childTaskRun('pr-a', 'a');
    (child['spec'] as Json)['params'] = [{ name: 'p', value: ['1'] }];
    ((child['status'] as Json)['taskSpec'] as Json)['params'] = [
      { name: 'q', default: { k: 'v' } },
      { name: 'p', default: ['0'] },
    ];
    const i = input(pr, [child]);
    assert.deepStrictEqual((predicate(i)['invocation'] as Json)['parameters'], {
      a: 'dflt',
      b: 'explicit',
    });
    assert.deepStrictEqual((tasks(i)[0]!['invocation'] as Json)['parameters'], {
      p: ['1'],
      q: { k: 'v' },
    });
  });

  it('ref: taskRef as written, plus bundle for a bundles resolver; inline tasks get {}', () => {
    const bundleRef = {
      resolver: 'bundles',
      params: [
        { name: 'bundle', value: 'gcr.io/c/t@sha256:' + HEX },
        { name: 'name', value: 'build' },
        { name: 'kind', value: 'task' },
      ],
    };
    const gitRef = {
      resolver: 'git',
      params: [{ name: 'url', value: 'https://g/x' }],
    };
    const pr = pipelineRun([
      { name: 'a', taskRef: bundleRef },
      { name: 'b', taskRef: gitRef },
      { name: 'c', taskSpec: { steps: [] } },
    ]);
    const refs = tasks(
      input(
        pr,
        ['a', 'b', 'c'].map((n) => childTaskRun(`pr-${n}`, n))
      )
    ).map((t) => t['ref']);
    assert.deepStrictEqual(refs, [
      {
        ...bundleRef,
        bundle: 'gcr.io/c/t@sha256:' + HEX,
        name: 'build',
        kind: 'task',
      },
      gitRef,
      {},
    ]);
  });

  it('subjects from each type hint; an invalid hint is ignored', () => {
    const results = [
      { name: 'IMAGE_URL', value: 'busybox:1.36' },
      { name: 'IMAGE_DIGEST', value: `sha256:${HEX}` },
      {
        name: 'IMAGES',
        value: `docker.io/x/y@sha256:${'b'.repeat(64)}\nlocalhost:5000/zz@sha256:${'c'.repeat(64)}`,
      },
      { name: 'jar_ARTIFACT_URI', value: 'pkg:maven/a/b@1' },
      { name: 'jar_ARTIFACT_DIGEST', value: `sha512:${'d'.repeat(128)}` },
      {
        name: 'out-ARTIFACT_OUTPUTS',
        value: {
          uri: 'gcr.io/o/p',
          digest: `sha256:${'e'.repeat(64)}`,
          isBuildArtifact: 'true',
        },
      },
      {
        name: 'bad-ARTIFACT_OUTPUTS',
        value: { uri: 'gcr.io/bad', digest: 'sha256:short' },
      },
      { name: 'bad_IMAGE_URL', value: 'UPPER/case' },
      { name: 'bad_IMAGE_DIGEST', value: `sha256:${HEX}` },
    ];
    const pr = input(pipelineRun([], { status: { results } }), []);
    assert.deepStrictEqual(
      subjectsV02(pr, false).map((s) => s.name),
      [
        'index.docker.io/library/busybox',
        'index.docker.io/x/y',
        'localhost:5000/zz',
        'gcr.io/o/p',
        'pkg:maven/a/b@1',
      ]
    );
    assert.deepStrictEqual(
      subjectsV1(pr, false).map((s) => s.name),
      [
        'gcr.io/o/p',
        'index.docker.io/library/busybox',
        'index.docker.io/x/y',
        'localhost:5000/zz',
      ]
    );
  });

  it('deep inspection adds child subjects (v0.2: children first; v1.0: PipelineRun first)', () => {
    const img = (n: string, c: string) => [
      { name: `${n}_IMAGE_URL`, value: `gcr.io/${n}` },
      { name: `${n}_IMAGE_DIGEST`, value: `sha256:${c.repeat(64)}` },
    ];
    const pr = pipelineRun([{ name: 'a' }], {
      status: { results: img('top', 'a') },
    });
    const child = childTaskRun('pr-a', 'a', { results: img('child', 'b') });
    (child['status'] as Json)['steps'] = [
      {
        name: 'run',
        imageID: `x@sha256:${HEX}`,
        results: [
          {
            name: 's-ARTIFACT_OUTPUTS',
            value: {
              uri: 'gcr.io/step',
              digest: `sha256:${'c'.repeat(64)}`,
              isBuildArtifact: 'true',
            },
          },
        ],
      },
    ];
    const i = input(pr, [child]);
    assert.deepStrictEqual(
      subjectsV02(i, true).map((s) => s.name),
      ['gcr.io/child', 'gcr.io/top']
    );
    assert.deepStrictEqual(
      subjectsV1(i, true).map((s) => s.name),
      ['gcr.io/top', 'gcr.io/step', 'gcr.io/child']
    );
    assert.deepStrictEqual(
      subjectsV1(makeRunInput(i.taskRuns[0]!, []), false).map((s) => s.name),
      ['gcr.io/step', 'gcr.io/child']
    );
  });

  it('trigger event: a material, and the envelope embedded in single-record mode', () => {
    const link = {
      eventId: 'ev-1',
      payloadSha256: HEX,
      uri: 'events/ev-1/event.dsse.json',
    };
    const envelope = {
      payloadType: 'application/vnd.in-toto+json',
      payload: 'e30=',
      signatures: [{ keyid: 'k', sig: 'c2ln' }],
    };
    const i = input(pipelineRun([{ name: 'a' }]), [childTaskRun('pr-a', 'a')]);
    const p1 = predicate(i, { triggerEvent: link });
    assert.deepStrictEqual((p1['materials'] as Json[]).at(-1), {
      uri: link.uri,
      digest: { sha256: HEX },
    });
    assert.equal((p1['buildConfig'] as Json)['triggerEvent'], undefined);
    const p2 = predicate(i, { triggerEvent: { ...link, envelope } });
    assert.deepStrictEqual((p2['buildConfig'] as Json)['triggerEvent'], {
      eventId: 'ev-1',
      envelope,
    });
  });

  it('git material quirk kept from Chains: a commit without a URL gives git+.git; malformed image IDs are skipped', () => {
    const tr = childTaskRun('t', 'x', {
      image: 'not-an-image-id',
      results: [{ name: 'CHAINS-GIT_COMMIT', value: 'abc' }],
    });
    const p = predicate(makeRunInput(normaliseRun(tr), []));
    assert.deepStrictEqual(p['materials'], [
      { uri: 'git+.git', digest: { sha1: 'abc' } },
    ]);
  });

  it('edge cases: Running status, no pipelineSpec, inline TaskRun without taskSpec steps', () => {
    const running = childTaskRun('pr-a', 'a');
    (running['status'] as Json)['conditions'] = [
      { type: 'Succeeded', status: 'Unknown' },
    ];
    assert.equal(
      tasks(input(pipelineRun([{ name: 'a' }]), [running]))[0]!['status'],
      'Running'
    );
    const bare = pipelineRun([]);
    delete (bare['status'] as Json)['pipelineSpec'];
    assert.deepStrictEqual(tasks(input(bare, [])), []);
    const noConditions = childTaskRun('pr-a', 'a');
    delete (noConditions['status'] as Json)['conditions'];
    assert.equal(
      tasks(input(pipelineRun([{ name: 'a' }]), [noConditions]))[0]!['status'],
      undefined
    );
  });
});
