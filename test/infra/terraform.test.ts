// Security properties of infra/ (Terraform cannot run here, so these checks are the guard).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  block,
  iamBindings,
  loadModule,
  membersOf,
  ofType,
  repoRoot,
  saMember,
  type Body,
  type TfModule,
} from './hcl.js';

const FORBIDDEN_ROLES = new Set([
  'roles/owner',
  'roles/editor',
  'roles/viewer',
  'roles/storage.admin',
  'roles/storage.objectAdmin',
  'roles/storage.objectUser',
  'roles/cloudkms.admin',
  'roles/cloudkms.signerVerifier',
  'roles/container.viewer',
  'roles/container.developer',
  'roles/iam.serviceAccountUser',
  'roles/iam.serviceAccountTokenCreator',
]);
// The one token-creator grant: the Pub/Sub service agent may mint OIDC tokens for the push identity only.
const TOKEN_CREATOR = 'google_service_account_iam_member.pubsub_token_creator';
// The one signerVerifier grant: verifyImage on the VSA key (#16); forbidden on every other key and to anyone else.
const VSA_SIGNER = 'google_kms_crypto_key_iam_member.vsa_signer';

describe('infra/ Terraform', function () {
  let mod: TfModule;
  before(async function () {
    this.timeout(20000);
    mod = await loadModule(join(repoRoot(), 'infra'));
  });

  it('parses every .tf file, split by concern', () => {
    for (const file of [
      'versions',
      'variables',
      'kms',
      'bucket',
      'iam',
      'functions',
      'scheduler',
      'secret',
      'kubernetes',
      'binauthz',
      'pubsub',
      'outputs',
    ]) {
      assert.ok(mod.files.includes(`${file}.tf`), `${file}.tf`);
    }
    assert.ok(mod.resources.size >= 25, `only ${mod.resources.size} resources`);
  });

  it('signs with an ASYMMETRIC_SIGN EC P-256 KMS key that Terraform never destroys', () => {
    const key = mod.resources.get('google_kms_crypto_key.signing')!;
    assert.equal(key.purpose, 'ASYMMETRIC_SIGN');
    const template = block(key, 'version_template')!;
    assert.equal(template.algorithm, 'EC_SIGN_P256_SHA256');
    assert.equal(template.protection_level, '${var.kms_protection_level}');
    assert.equal(block(key, 'lifecycle')?.prevent_destroy, true);
    assert.equal(
      block(mod.resources.get('google_kms_key_ring.provenance')!, 'lifecycle')
        ?.prevent_destroy,
      true
    );
    const levels = String(
      block(mod.variables.get('kms_protection_level')!, 'validation')?.condition
    );
    assert.match(levels, /"HSM", "SOFTWARE"/);
  });

  it('keeps the bucket private, write-once and undeletable by Terraform', () => {
    const bucket = mod.resources.get('google_storage_bucket.attestations')!;
    assert.equal(bucket.uniform_bucket_level_access, true);
    assert.equal(bucket.public_access_prevention, 'enforced');
    assert.equal(bucket.force_destroy, false);
    assert.equal(block(bucket, 'lifecycle')?.prevent_destroy, true);
    const retention = block(bucket, 'retention_policy');
    assert.match(String(retention?.retention_period), /86400/);
    assert.equal(retention?.is_locked, '${var.retention_locked}');
    assert.equal(
      block(bucket, 'versioning')?.enabled,
      '${var.object_versioning}'
    );
    const guard = JSON.stringify(block(bucket, 'lifecycle')?.precondition);
    assert.match(guard, /var.retention_days > 0\) != var.object_versioning/);
    const days = mod.variables.get('retention_days')!;
    assert.ok(Number(days.default) > 0, 'retention on by default');
    const rule = block(bucket, 'lifecycle_rule');
    assert.notEqual(
      block(rule ?? {}, 'action')?.type,
      'Delete',
      'no lifecycle deletion'
    );
  });

  it('signs trigger events with a second key of the same kind, also never destroyed', () => {
    const key = mod.resources.get('google_kms_crypto_key.event_signing')!;
    assert.equal(key.purpose, 'ASYMMETRIC_SIGN');
    assert.equal(key.key_ring, '${google_kms_key_ring.provenance.id}');
    assert.equal(key.name, '${var.event_key_name}');
    const template = block(key, 'version_template')!;
    assert.equal(template.algorithm, 'EC_SIGN_P256_SHA256');
    assert.equal(template.protection_level, '${var.kms_protection_level}');
    assert.equal(block(key, 'lifecycle')?.prevent_destroy, true);
    assert.notEqual(
      mod.variables.get('event_key_name')?.default,
      mod.variables.get('key_name')?.default
    );
    assert.match(
      String(mod.locals.event_signer_ref),
      /^gcpkms:\/\/\$\{local\.event_key_version_name\}$/
    );
    assert.match(
      String(mod.locals.event_key_version_name),
      /google_kms_crypto_key\.event_signing\.id.*var\.event_signing_key_version/
    );
    const outputs = Object.assign(
      {},
      ...mod.docs.map((d) => (d.output ?? {}) as Body)
    ) as Record<string, Body[]>;
    assert.equal(
      outputs.event_kms_key?.[0]?.value,
      '${local.event_signer_ref}'
    );
    assert.match(
      String(outputs.event_public_key_pem?.[0]?.value),
      /data\.google_kms_crypto_key_version\.event_signing\.public_key/
    );
  });

  it('splits KMS access: one signing key per signer; verifyImage only reads the other two public keys', () => {
    const membersOn = (key: string, role: string) =>
      ofType(mod, 'google_kms_crypto_key_iam_member')
        .filter(
          ([, b]) =>
            b.crypto_key_id === `\${google_kms_crypto_key.${key}.id}` &&
            b.role === role
        )
        .flatMap(([, b]) => membersOf(mod, b))
        .sort();
    const sa = saMember;
    const signer = 'roles/cloudkms.signer';
    const viewer = 'roles/cloudkms.publicKeyViewer';
    assert.deepEqual(membersOn('signing', signer), [
      sa('attest_run'),
      sa('reconcile'),
    ]);
    assert.deepEqual(membersOn('event_signing', signer), [sa('sign_event')]);
    assert.deepEqual(membersOn('vsa', signer), []);
    assert.deepEqual(membersOn('vsa', 'roles/cloudkms.signerVerifier'), [
      sa('verify_image'),
    ]);
    assert.deepEqual(membersOn('signing', viewer), [
      sa('attest_run'),
      sa('reconcile'),
      sa('verify_image'),
    ]);
    assert.deepEqual(membersOn('event_signing', viewer), [
      sa('sign_event'),
      sa('verify_image'),
    ]);
    assert.deepEqual(membersOn('vsa', viewer), [sa('verify_image')]);
  });

  it('grants no basic, admin, legacy or delete-capable role to anyone', () => {
    const bindings = iamBindings(mod);
    assert.ok(bindings.length >= 10);
    for (const [address, body] of bindings) {
      assert.match(
        address,
        /_iam_member\./,
        `${address}: only additive *_iam_member bindings`
      );
      const role = String(body.role);
      if (address === TOKEN_CREATOR) {
        assert.equal(role, 'roles/iam.serviceAccountTokenCreator');
        assert.equal(
          body.service_account_id,
          '${google_service_account.verify_push.name}'
        );
        assert.equal(body.member, '${local.pubsub_agent}');
        assert.match(
          String(mod.locals.pubsub_agent),
          /^serviceAccount:service-\$\{data\.google_project\.current\.number\}@gcp-sa-pubsub\.iam\.gserviceaccount\.com$/
        );
        continue;
      }
      if (address === VSA_SIGNER) {
        assert.equal(role, 'roles/cloudkms.signerVerifier');
        assert.equal(body.crypto_key_id, '${google_kms_crypto_key.vsa.id}');
        assert.deepEqual(membersOf(mod, body), [saMember('verify_image')]);
        continue;
      }
      assert.ok(!FORBIDDEN_ROLES.has(role), `${address}: ${role}`);
      assert.doesNotMatch(role, /admin|legacy/i, `${address}: ${role}`);
    }
  });

  it('scopes storage, KMS and secret roles to the one bucket, key and secret', () => {
    for (const [address, body] of iamBindings(mod)) {
      const role = String(body.role);
      if (address.startsWith('google_project_iam_member.')) {
        assert.doesNotMatch(
          role,
          /^roles\/(storage|cloudkms|secretmanager|run|pubsub|iam)\./,
          `${address}: project-wide ${role}`
        );
      }
      if (address.startsWith('google_kms_crypto_key_iam_member.')) {
        assert.match(
          String(body.crypto_key_id),
          /^\$\{google_kms_crypto_key\.(signing|event_signing|vsa)\.id\}$/,
          address
        );
        const kmsRoles = [
          'roles/cloudkms.signer',
          'roles/cloudkms.publicKeyViewer',
        ];
        if (address === VSA_SIGNER)
          kmsRoles.push('roles/cloudkms.signerVerifier');
        assert.ok(kmsRoles.includes(role), `${address}: ${role}`);
      }
      if (address.startsWith('google_storage_bucket_iam_member.')) {
        assert.ok(
          [
            'roles/storage.objectCreator',
            'roles/storage.objectViewer',
          ].includes(role),
          role
        );
      }
    }
    const sa = saMember;
    assert.deepEqual(mod.locals.function_members, {
      attest_run: sa('attest_run'),
      sign_event: sa('sign_event'),
      reconcile: sa('reconcile'),
      verify_image: sa('verify_image'),
    });
    assert.deepEqual(mod.locals.kube_reader_members, {
      attest_run: sa('attest_run'),
      reconcile: sa('reconcile'),
    });
    // Project-wide roles of function identities: reaching the cluster (the Kubernetes readers) and, for
    // verifyImage only, creating the attestation occurrences.
    const projectRoles: Record<string, string[]> = {
      'roles/container.clusterViewer': [sa('attest_run'), sa('reconcile')],
      'roles/containeranalysis.occurrences.editor': [sa('verify_image')],
    };
    for (const [address, body] of ofType(mod, 'google_project_iam_member')) {
      const fnWide =
        String(body.member).includes('local.') ||
        String(body.for_each).includes('members');
      if (!fnWide) continue;
      const allowed = projectRoles[String(body.role)];
      assert.ok(allowed, `${address}: project-wide ${String(body.role)}`);
      for (const m of membersOf(mod, body))
        assert.ok(allowed.includes(m), `${address}: ${m}`);
    }
    const creator = mod.resources.get(
      'google_storage_bucket_iam_member.object_creator'
    )!;
    assert.equal(creator.bucket, '${google_storage_bucket.attestations.name}');
    assert.equal(creator.for_each, '${local.function_members}');
    const secret = mod.resources.get(
      'google_secret_manager_secret_iam_member.webhook_accessor'
    )!;
    assert.equal(secret.member, '${local.function_members.sign_event}');
  });

  it('lets only the scheduler call reconcile and exposes allUsers only as invoker of the two webhooks', () => {
    const reconcile = mod.resources.get(
      'google_cloud_run_service_iam_member.reconcile_invoker'
    )!;
    assert.equal(
      reconcile.member,
      'serviceAccount:${google_service_account.scheduler.email}'
    );
    for (const [address, body] of iamBindings(mod)) {
      if (!String(body.member).includes('allUsers')) continue;
      assert.equal(body.role, 'roles/run.invoker', address);
      assert.match(address, /\.(attest_run|sign_event)_invoker$/);
    }
    const job = mod.resources.get('google_cloud_scheduler_job.reconcile')!;
    const oidc = block(block(job, 'http_target')!, 'oidc_token')!;
    assert.equal(
      oidc.service_account_email,
      '${google_service_account.scheduler.email}'
    );
  });
});
