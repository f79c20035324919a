import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunInput } from '../../shared/core/types.js';
import { FsStore } from '../../shared/stores/fs-store.js';
import { loadKeys } from '../../shared/verify/keys.js';
import { parsePolicy, type Policy } from '../../shared/verify/policy.js';
import type { CheckResult, VerifyReport } from '../../shared/verify/report.js';
import { verifyDigest } from '../../shared/verify/verify-digest.js';
import {
  attest,
  eventIdOf,
  exampleInput,
  IMAGE_HEX,
  imageHexOf,
  makeKey,
  pushBody,
  REVISION,
  signEvent,
  taskRunOf,
  tempDir,
  type TestKey,
} from './harness.js';

const NOW = new Date('2026-05-05T00:00:00Z');
const TRUSTED = `trustedTasks:
  - bundle: gcr.io/tekton-releases/catalog/upstream/git-clone
    digest: sha256:27a40fc454344cbfc9257cb01c6285bdd4ce6abb52092f19195b2e7e02938ae1
  - bundle: gcr.io/tekton-releases/catalog/upstream/buildah
    digest: sha256:0e8c0359418683b8f67ff2c00c6986540904a8848ac2d6d10d174d0c052d72c0
  - git: https://github.com/acme/ci-tasks.git
    path: tasks/unit-tests.yaml
  - git: https://github.com/acme/ci-tasks.git
    path: tasks/trivy-scan.yaml
  - name: send-to-webhook-slack
    kind: Task
requireTriggerEvent: true
eventBindings:
  - param: revision
    event: head_commit.id
  - param: repo-url
    event: repository.clone_url
requiredFormats: [slsa/v0.2, slsa/v1.0, tekton]
allowedBuilderIds: [https://tekton.dev/chains/v2]
maxAge: 30d
`;
const policyOf = (text: string): Policy => parsePolicy(text, 'policy.yaml');
const failures = (r: VerifyReport): CheckResult[] =>
  r.checks.filter((c) => !c.passed);

describe('verify DIGEST against a store', function () {
  let dir: string;
  let cleanup: () => Promise<void>;
  let store: FsStore;
  let key: TestKey;
  let other: TestKey;
  let trusted: RunInput;

  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
    store = new FsStore(join(dir, 'store'));
    key = await makeKey(dir, 'key');
    other = await makeKey(dir, 'other');
    trusted = exampleInput('trusted');
  });
  afterEach(() => cleanup());

  async function verify(
    policy: Policy = policyOf(TRUSTED),
    keyPaths = [key.pubPath],
    hex = IMAGE_HEX
  ): Promise<VerifyReport> {
    return verifyDigest(hex, {
      store,
      keys: await loadKeys(keyPaths),
      policy,
      now: NOW,
    });
  }

  async function attestTrusted(
    eventSigner = key.signer,
    body = pushBody(REVISION)
  ): Promise<string[]> {
    await signEvent(store, eventSigner, eventIdOf(trusted), body);
    return attest(store, key.signer, trusted);
  }

  function onlyFailure(report: VerifyReport, code: string): CheckResult {
    const failed = failures(report);
    assert.equal(report.passed, false);
    assert.deepEqual(
      failed.map((c) => c.code),
      [code],
      JSON.stringify(failed, null, 2)
    );
    return failed[0] as CheckResult;
  }

  it('passes the trusted TEP-0084 pipeline in every format, linked to its signed event', async () => {
    await attestTrusted();
    await attest(store, key.signer, {
      run: taskRunOf(trusted, 'image-build'),
      taskRuns: [],
    });
    const report = await verify();
    assert.deepEqual(failures(report), []);
    assert.equal(report.passed, true);
    assert.deepEqual(report.subjectNames, [
      'us-docker.pkg.dev/acme-prod/apps/web',
    ]);
    assert.equal(report.attestations.length, 6);
    assert.ok(
      report.attestations.every(
        (a) => a.verified && a.keyid === key.signer.keyId
      )
    );
    const pr = report.runs.find((r) => r.kind === 'PipelineRun');
    assert.deepEqual(pr?.formats.sort(), ['slsa/v0.2', 'slsa/v1.0', 'tekton']);
    assert.deepEqual(
      pr?.tasks.map((t) => [t.name, t.after, t.trusted]),
      [
        ['git-clone', [], true],
        ['security-scan', ['git-clone'], true],
        ['unit-tests', ['git-clone'], true],
        ['image-build', ['security-scan', 'unit-tests'], true],
        ['notify', ['image-build'], true],
      ]
    );
    assert.equal(pr?.event?.verified, true);
    assert.equal(pr?.event?.eventId, eventIdOf(trusted));
    const tr = report.runs.find((r) => r.kind === 'TaskRun');
    assert.deepEqual(
      tr?.tasks.map((t) => [t.name, t.refType, t.trusted]),
      [['image-build', 'bundle', true]]
    );
    assert.ok(
      report.checks.some(
        (c) =>
          c.check === 'event-binding' &&
          c.passed &&
          c.message.includes(REVISION)
      )
    );
  });

  it('fails the same pipeline with an inline inject-miner task, naming it', async () => {
    const miner = exampleInput('inject-miner');
    await signEvent(store, key.signer, eventIdOf(miner), pushBody(REVISION));
    await attest(store, key.signer, miner);
    const report = await verify(
      policyOf(TRUSTED),
      [key.pubPath],
      imageHexOf(miner)
    );
    const failed = onlyFailure(report, 'TASK_UNTRUSTED');
    assert.equal(
      failed.message,
      'untrusted task inject-miner: inline taskSpec'
    );
    assert.equal(failed.target, 'inject-miner');
  });

  it('fails a bundle that is not in trustedTasks', async () => {
    await attestTrusted();
    const policy = policyOf(
      TRUSTED.replace(/ {2}- bundle: \S+buildah\n.*\n/, '')
    );
    const failed = failures(await verify(policy));
    assert.ok(
      failed.length >= 1 &&
        failed.every(
          (c) => c.code === 'TASK_UNTRUSTED' && c.target === 'image-build'
        )
    );
    assert.match(
      failed[0]?.message ?? '',
      /^untrusted task image-build: bundle oci:\/\/gcr.io\/tekton-releases\/catalog\/upstream\/buildah:0.7@sha256:0e8c\w+ is not in trustedTasks$/
    );
  });

  it('fails a git task at an unpinned revision when the policy pins one', async () => {
    await attestTrusted();
    const pin = 'f'.repeat(40);
    const policy = policyOf(
      TRUSTED.replace(
        'path: tasks/trivy-scan.yaml',
        `path: tasks/trivy-scan.yaml\n    revision: ${pin}`
      )
    );
    const failed = failures(await verify(policy));
    assert.ok(
      failed.length >= 1 &&
        failed.every(
          (c) => c.code === 'TASK_UNTRUSTED' && c.target === 'security-scan'
        )
    );
    assert.equal(
      failed[0]?.message,
      `untrusted task security-scan: git task git+https://github.com/acme/ci-tasks.git//tasks/trivy-scan.yaml@main at revision "main", policy pins ${pin}`
    );
  });

  it('fails a tampered payload with SIGNATURE_INVALID', async () => {
    const keys = await attestTrusted();
    const target =
      keys.find(
        (k) => k.startsWith('sha256/') && k.endsWith('slsa-v0.2.dsse.json')
      ) ?? '';
    const path = join(store.location, target);
    const env = JSON.parse(await readFile(path, 'utf8'));
    const text = Buffer.from(env.payload, 'base64')
      .toString('utf8')

      .replace('"git-clone"', '"git-clone-evil"');
    await writeFile(
      path,
      JSON.stringify({ ...env, payload: Buffer.from(text).toString('base64') })
    );
    // The tampered statement is never read, so the policy also misses its format.
    const failed = failures(await verify());
    assert.deepEqual(
      failed.map((c) => c.code),
      ['SIGNATURE_INVALID', 'FORMAT_MISSING']
    );
    assert.equal(failed[0]?.target, target);
  });

  it('fails a wrong key with KEY_UNTRUSTED and passes with key rotation', async () => {
    await signEvent(
      store,
      other.signer,
      eventIdOf(trusted),
      pushBody(REVISION)
    );
    await attest(store, key.signer, trusted);
    const wrong = await verify(policyOf(''), [other.pubPath]);
    assert.equal(wrong.passed, false);
    assert.deepEqual(
      [...new Set(failures(wrong).map((c) => c.code))],
      ['KEY_UNTRUSTED']
    );
    const rotated = await verify(policyOf(TRUSTED), [
      other.pubPath,
      key.pubPath,
    ]);
    assert.deepEqual(failures(rotated), []);
    assert.equal(rotated.passed, true);
  });

  it("fails a subject swap (another image's envelope copied under this digest)", async () => {
    await attestTrusted();
    const otherHex = 'd'.repeat(64);
    const swapped = exampleInput('trusted');
    swapped.run.metadata.uid = '11111111-2222-3333-4444-555555555555';
    for (const r of swapped.run.status.results ?? [])
      if (r.name === 'IMAGE_DIGEST') r.value = `sha256:${otherHex}`;
    for (const tr of swapped.taskRuns)
      tr.metadata.labels['tekton.dev/pipelineRunUID'] =
        swapped.run.metadata.uid;
    const keys = await attest(store, key.signer, swapped, ['slsa/v0.2']);
    const source = keys.find((k) => k.startsWith(`sha256/${otherHex}/`)) ?? '';
    const copy = source.replace(otherHex, IMAGE_HEX);
    await writeFile(
      join(store.location, copy),
      await readFile(join(store.location, source))
    );
    const failed = onlyFailure(await verify(), 'SUBJECT_MISMATCH');
    assert.equal(failed.target, copy);
    assert.match(
      failed.message,
      new RegExp(`sha256:${otherHex}\\) do not include sha256:${IMAGE_HEX}`)
    );
  });

  it('fails a digest with no attestation with ATTESTATION_MISSING', async () => {
    const failed = onlyFailure(await verify(), 'ATTESTATION_MISSING');
    assert.match(failed.message, /^no attestation for sha256:8697/);
  });

  it('fails a forged event (signed by a key not given)', async () => {
    await attestTrusted(other.signer);
    const failed = failures(await verify());
    assert.equal(failed[0]?.code, 'EVENT_SIGNATURE_INVALID');
    assert.equal(
      failed[0]?.target,
      `events/${eventIdOf(trusted)}/event.dsse.json`
    );
    assert.ok(
      failed.slice(1).every((c) => c.code === 'EVENT_BINDING_MISMATCH')
    );
  });

  it('fails an event whose head_commit.id differs from the revision parameter', async () => {
    const pushed = 'a'.repeat(40);
    await attestTrusted(key.signer, pushBody(pushed));
    const failed = onlyFailure(await verify(), 'EVENT_BINDING_MISMATCH');
    assert.equal(failed.target, 'revision = head_commit.id');
    assert.equal(
      failed.message,
      `param revision is "${REVISION}" but event head_commit.id is "${pushed}"`
    );
  });

  it('fails a run without a trigger-event link when the policy requires one', async () => {
    await attest(store, key.signer, trusted);
    const failed = failures(await verify());
    assert.equal(failed[0]?.code, 'EVENT_MISSING');
  });

  it('verifies the single-record mode (event embedded in the statement)', async () => {
    await signEvent(store, key.signer, eventIdOf(trusted), pushBody(REVISION));
    await attest(
      store,
      key.signer,
      trusted,
      ['slsa/v0.2', 'slsa/v1.0', 'tekton'],
      true
    );
    const report = await verify();
    assert.deepEqual(failures(report), []);
    assert.match(report.runs[0]?.event?.key ?? '', /\(embedded\)$/);
  });

  it('verifies the event payload digest as an event only', async () => {
    await attestTrusted();
    const eventHex =
      (await store.list('sha256/'))
        .map((k) => k.split('/')[1])
        .find((h) => h !== IMAGE_HEX) ?? '';
    const report = await verify(policyOf(''), [key.pubPath], eventHex);
    assert.deepEqual(failures(report), []);
    assert.equal(report.runs.length, 0);
    assert.equal(report.events[0]?.verified, true);
  });

  it('fails policy extras: missing format, builder id, age', async () => {
    await attestTrusted();
    const policy = policyOf(
      'requiredFormats: [slsa/v0.2]\nallowedBuilderIds: [https://example.com/other]\nmaxAge: 1h\n'
    );
    const codes = failures(await verify(policy)).map((c) => c.code);
    assert.deepEqual(codes.sort(), ['BUILDER_NOT_ALLOWED', 'TOO_OLD']);
  });
});
