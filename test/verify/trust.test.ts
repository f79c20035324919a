import assert from 'node:assert/strict';
import { parsePolicy } from '../../shared/verify/policy.js';
import {
  classifyRef,
  describeRef,
  parseBundle,
} from '../../shared/verify/task-ref.js';
import { untrustedReason } from '../../shared/verify/trust.js';
import type { TaskView } from '../../shared/verify/view.js';

const PIN = 'e15283f98e37663f9f7a6b1746b15373ca70d393';
const BUILDAH = `sha256:${'0e'.repeat(32)}`;
const params = (o: Record<string, string>) =>
  Object.entries(o).map(([name, value]) => ({ name, value }));

const policy = parsePolicy(
  `trustedTasks:
  - bundle: gcr.io/tekton-releases/catalog/upstream/buildah
    digest: ${BUILDAH}
  - bundle: gcr.io/tekton-releases/catalog/upstream/git-clone
  - git: https://github.com/acme/ci-tasks
    path: tasks/unit-tests.yaml
  - git: https://github.com/acme/ci-tasks.git
    path: tasks/trivy-scan.yaml
    revision: ${PIN}
  - name: send-to-webhook-slack
  - name: lint
    kind: ClusterTask
`,
  'p.yaml'
);

const SCOPE = {
  namespace: 'ci',
  list: 'trustedTasks',
  allowInline: false,
} as const;

function task(
  name: string,
  ref: unknown,
  source?: TaskView['source']
): TaskView {
  return {
    name,
    after: [],
    ref: classifyRef(ref),
    results: {},
    ...(source && { source }),
  };
}

const bundles = (bundle: string) => ({
  resolver: 'bundles',
  params: params({ bundle, name: 'x', kind: 'task' }),
});
const git = (path: string, revision: string) => ({
  resolver: 'git',
  params: params({
    url: 'https://github.com/acme/ci-tasks.git',
    revision,
    pathInRepo: path,
  }),
});

describe('verify trusted tasks', () => {
  it('classifies references as Conforma keys them', () => {
    assert.deepEqual(classifyRef({}), { type: 'inline' });
    assert.deepEqual(classifyRef(undefined), { type: 'inline' });
    assert.deepEqual(classifyRef({ name: 'build', kind: 'ClusterTask' }), {
      type: 'cluster',
      name: 'build',
      kind: 'ClusterTask',
    });
    assert.deepEqual(
      classifyRef({
        resolver: 'cluster',
        params: params({ name: 'b', kind: 'task' }),
      }),
      { type: 'cluster', name: 'b', kind: 'Task', resolver: 'cluster' }
    );
    assert.deepEqual(classifyRef({ resolver: 'hub', params: [] }), {
      type: 'other',
      resolver: 'hub',
    });
    assert.deepEqual(classifyRef({ bundle: 'busybox:1@sha256:ab' }), {
      type: 'bundle',
      repository: 'docker.io/library/busybox',
      tag: '1',
      digest: 'sha256:ab',
    });
    assert.deepEqual(parseBundle('localhost:5000/t'), {
      repository: 'localhost:5000/t',
    });
    assert.equal(
      describeRef(classifyRef(git('a.yaml', 'main'))),
      'git+https://github.com/acme/ci-tasks.git//a.yaml@main'
    );
    assert.equal(
      describeRef(classifyRef(bundles(`gcr.io/a/b:1@${BUILDAH}`))),
      `oci://gcr.io/a/b:1@${BUILDAH}`
    );
  });

  const cases: [string, TaskView, string | undefined][] = [
    [
      'pinned bundle at its digest',
      task(
        'image-build',
        bundles(
          `gcr.io/tekton-releases/catalog/upstream/buildah:0.7@${BUILDAH}`
        )
      ),
      undefined,
    ],
    [
      'legacy bundle field, unpinned entry',
      task('git-clone', {
        bundle: 'gcr.io/tekton-releases/catalog/upstream/git-clone:0.9',
      }),
      undefined,
    ],
    [
      'git without a pin',
      task('unit-tests', git('tasks/unit-tests.yaml', 'main')),
      undefined,
    ],
    [
      'git at the pinned commit',
      task('security-scan', git('tasks/trivy-scan.yaml', PIN), {
        uri: 'git+https://github.com/acme/ci-tasks.git',
        digest: { sha1: PIN },
      }),
      undefined,
    ],
    [
      'cluster Task by name',
      task('notify', { name: 'send-to-webhook-slack', kind: 'Task' }),
      undefined,
    ],
    ['inline taskSpec', task('inject-miner', {}), 'inline taskSpec'],
    [
      'bundle not listed',
      task('x', bundles('gcr.io/evil/miner:1')),
      'bundle oci://gcr.io/evil/miner:1 is not in trustedTasks',
    ],
    [
      'bundle without the pinned digest',
      task(
        'image-build',
        bundles('gcr.io/tekton-releases/catalog/upstream/buildah:0.7')
      ),
      `bundle oci://gcr.io/tekton-releases/catalog/upstream/buildah:0.7 is not pinned to a digest (policy pins ${BUILDAH})`,
    ],
    [
      'bundle at another digest',
      task(
        'image-build',
        bundles(
          `gcr.io/tekton-releases/catalog/upstream/buildah@sha256:${'1'.repeat(64)}`
        )
      ),
      `bundle oci://gcr.io/tekton-releases/catalog/upstream/buildah@sha256:${'1'.repeat(64)} is not the pinned ${BUILDAH}`,
    ],
    [
      'git at an unpinned revision',
      task('security-scan', git('tasks/trivy-scan.yaml', 'main')),
      `git task git+https://github.com/acme/ci-tasks.git//tasks/trivy-scan.yaml@main at revision "main", policy pins ${PIN}`,
    ],
    [
      'git resolved elsewhere than the pin',
      task('security-scan', git('tasks/trivy-scan.yaml', PIN), {
        uri: 'git+https://github.com/acme/ci-tasks.git',
        digest: { sha1: 'f'.repeat(40) },
      }),
      `git task git+https://github.com/acme/ci-tasks.git//tasks/trivy-scan.yaml@${PIN} resolved to commit ${'f'.repeat(40)}`,
    ],
    [
      'git path not listed',
      task('other', git('tasks/other.yaml', PIN)),
      `git task git+https://github.com/acme/ci-tasks.git//tasks/other.yaml@${PIN} is not in trustedTasks`,
    ],
    [
      'cluster Task of the wrong kind',
      task('lint', { name: 'lint', kind: 'Task' }),
      'Task/lint in namespace ci is not in trustedTasks',
    ],
    [
      'unsupported resolver',
      task('h', { resolver: 'hub', params: [] }),
      'resolver hub cannot be matched by trustedTasks',
    ],
  ];
  for (const [name, t, reason] of cases) {
    it(`${reason === undefined ? 'trusts' : 'refuses'} ${name}`, () => {
      assert.equal(
        untrustedReason(t, policy.trustedTasks ?? [], SCOPE),
        reason
      );
    });
  }

  it('accepts inline tasks only when the policy allows them', () => {
    assert.equal(
      untrustedReason(task('i', {}), [], { ...SCOPE, allowInline: true }),
      undefined
    );
  });
});
