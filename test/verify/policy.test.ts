import assert from 'node:assert/strict';
import { ConfigError } from '../../shared/core/errors.js';
import { formatDuration, readDuration } from '../../shared/verify/duration.js';
import { parsePolicy } from '../../shared/verify/policy.js';

const PIN = 'a'.repeat(40);
const DIGEST = `sha256:${'b'.repeat(64)}`;

function problems(text: string): string {
  try {
    parsePolicy(text, 'p.yaml');
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    assert.equal(err.code, 'CONFIG_INVALID');
    return err.message;
  }
  assert.fail('expected a ConfigError');
}

describe('verify policy file', () => {
  it('reads the CONTRACT §3 shape with every optional field', () => {
    const policy = parsePolicy(
      `trustedTasks:
  - bundle: gcr.io/tekton-releases/catalog/upstream/git-clone
    digest: ${DIGEST}
  - git: https://github.com/acme/tasks.git
    path: tasks/scan.yaml
    revision: ${PIN}
  - name: buildah
    kind: Task
requireTriggerEvent: true
eventBindings:
  - param: revision
    event: head_commit.id
requiredFormats: [slsa/v0.2]
allowedBuilderIds: [https://tekton.dev/chains/v2]
maxAge: 30d
`,
      'p.yaml'
    );
    assert.deepEqual(policy, {
      trustedTasks: [
        {
          bundle: 'gcr.io/tekton-releases/catalog/upstream/git-clone',
          digest: DIGEST,
        },
        {
          git: 'https://github.com/acme/tasks.git',
          path: 'tasks/scan.yaml',
          revision: PIN,
        },
        { name: 'buildah', kind: 'Task' },
      ],
      requireSucceeded: true,
      allowInlineTasks: false,
      requireTriggerEvent: true,
      eventBindings: [{ param: 'revision', event: 'head_commit.id' }],
      requiredFormats: ['slsa/v0.2'],
      allowedBuilderIds: ['https://tekton.dev/chains/v2'],
      maxAgeMs: 30 * 86_400_000,
    });
  });

  it('reads trustedPipelines, allowedNamespaces, requireSucceeded, task-result bindings and namespaced names', () => {
    const policy = parsePolicy(
      `
trustedTasks:
  - name: notify
    namespace: ci
trustedPipelines:
  - git: https://github.com/acme/pipelines.git
    path: pipelines/build.yaml
  - name: build
    kind: Pipeline
allowedNamespaces: [ci, release]
requireSucceeded: false
eventBindings:
  - task: git-clone
    result: commit
    event: head_commit.id
`,
      'p.yaml'
    );
    assert.deepEqual(policy.trustedTasks, [
      { name: 'notify', namespace: 'ci' },
    ]);
    assert.deepEqual(policy.trustedPipelines, [
      {
        git: 'https://github.com/acme/pipelines.git',
        path: 'pipelines/build.yaml',
      },
      { name: 'build', kind: 'Pipeline' },
    ]);
    assert.deepEqual(policy.allowedNamespaces, ['ci', 'release']);
    assert.equal(policy.requireSucceeded, false);
    assert.deepEqual(policy.eventBindings, [
      { task: 'git-clone', result: 'commit', event: 'head_commit.id' },
    ]);
  });

  it('refuses a Pipeline kind among trustedTasks, a blank namespace and a half task binding', () => {
    assert.throws(
      () =>
        parsePolicy(
          `trustedTasks: [{name: x, kind: Pipeline}]
allowedNamespaces: ['']
eventBindings: [{task: git-clone, event: head_commit.id}]`,
          'p.yaml'
        ),
      (err: Error) =>
        /trustedTasks\[0\]\.kind: expected Task or ClusterTask/.test(
          err.message
        ) &&
        /allowedNamespaces\[0\]: expected a namespace name/.test(err.message) &&
        /eventBindings\[0\]\.result: expected a non-empty string/.test(
          err.message
        )
    );
  });

  it('treats an empty document as demanding only success (requireSucceeded defaults to true)', () => {
    assert.deepEqual(parsePolicy('', 'p.yaml'), {
      requireSucceeded: true,
      allowInlineTasks: false,
      requireTriggerEvent: false,
      eventBindings: [],
      requiredFormats: [],
    });
  });

  it('lists every problem with its location in one error', () => {
    const message = problems(`trustedTasks:
  - bundle: gcr.io/x
    digest: latest
  - git: https://github.com/acme/tasks.git
  - name: buildah
    kind: Pipeline
  - bundle: a
    git: b
requireTriggerEvent: yes please
eventBindings: [{param: revision}]
requiredFormats: [simplesigning]
maxAge: forever
trustedTask: []
`);
    for (const part of [
      'policy p.yaml:',
      'trustedTasks[0].digest: expected sha256:<64 hex>, got "latest"',
      'trustedTasks[1].path: expected a non-empty string',
      'trustedTasks[2].kind: expected Task or ClusterTask, got "Pipeline"',
      'trustedTasks[3]: expected exactly one of bundle, git, name; got bundle, git',
      'requireTriggerEvent: expected true or false',
      'eventBindings[0].event: expected a non-empty string',
      'requiredFormats[0]: expected slsa/v0.2, slsa/v1.0 or tekton, got "simplesigning"',
      'maxAge: expected a duration',
      'unknown key "trustedTask"',
    ]) {
      assert.ok(message.includes(part), `missing ${part} in ${message}`);
    }
  });

  it('refuses invalid YAML, a non-mapping and an unpinned-looking revision', () => {
    assert.match(problems('trustedTasks: [\n'), /invalid YAML/);
    assert.match(problems('- a\n- b\n'), /expected a mapping at the top level/);
    assert.match(
      problems('trustedTasks:\n  - git: u\n    path: p\n    revision: main\n'),
      /revision: expected a 40-hex commit, got "main"/
    );
  });

  it('reads and prints durations', () => {
    assert.equal(readDuration('90m'), 5_400_000);
    assert.equal(readDuration('2w'), 1_209_600_000);
    assert.equal(readDuration('3600s'), 3_600_000);
    assert.equal(readDuration('1y'), undefined);
    assert.equal(readDuration(5), undefined);
    assert.equal(formatDuration(5_400_000), '90m');
    assert.equal(formatDuration(86_400_000), '1d');
    assert.equal(formatDuration(1500), '1500ms');
  });
});
