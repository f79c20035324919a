// verifyImage in infra/ (#16): its function, the VSA key only it signs with, and the Binary Authorization gate.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  block,
  iamBindings,
  loadModule,
  membersOf,
  repoRoot,
  saMember,
  type Body,
  type TfModule,
} from './hcl.js';

const VERIFY = saMember('verify_image');
const VERIFY_ENV = [
  'BINAUTHZ_NOTE',
  'NODE_ENV',
  'NODE_OPTIONS',
  'STORE',
  'VERIFIER_ID',
  'VERIFY_EVENT_KEYS',
  'VERIFY_KEYS',
  'VSA_POLICY',
  'VSA_SIGNER',
];
// Everything verifyImage's identity may hold: `${type}|${role}|${scope}`.
const VERIFY_GRANTS = new Set([
  'google_kms_crypto_key_iam_member|roles/cloudkms.signerVerifier|${google_kms_crypto_key.vsa.id}',
  'google_kms_crypto_key_iam_member|roles/cloudkms.publicKeyViewer|${google_kms_crypto_key.vsa.id}',
  'google_kms_crypto_key_iam_member|roles/cloudkms.publicKeyViewer|${google_kms_crypto_key.signing.id}',
  'google_kms_crypto_key_iam_member|roles/cloudkms.publicKeyViewer|${google_kms_crypto_key.event_signing.id}',
  'google_storage_bucket_iam_member|roles/storage.objectCreator|${google_storage_bucket.attestations.name}',
  'google_storage_bucket_iam_member|roles/storage.objectViewer|${google_storage_bucket.attestations.name}',
  'google_storage_bucket_iam_member|roles/storage.objectViewer|${google_storage_bucket.policy.name}',
  'google_container_analysis_note_iam_member|roles/containeranalysis.notes.attacher|${google_container_analysis_note.vsa[0].name}',
  'google_project_iam_member|roles/containeranalysis.occurrences.editor|${var.project}',
]);

// The resource a binding is on: its key, bucket, note or project.
function scopeOf(body: Body): string {
  const scope = [body.crypto_key_id, body.bucket, body.note, body.project];
  return String(scope.find((v) => typeof v === 'string') ?? '');
}

describe('infra/ verifyImage and Binary Authorization', function () {
  let mod: TfModule;
  let res: (address: string) => Body;
  before(async function () {
    this.timeout(20000);
    mod = await loadModule(join(repoRoot(), 'infra'));
    res = (address) => {
      const body = mod.resources.get(address);
      assert.ok(body, `${address} is missing`);
      return body;
    };
  });

  it('deploys verifyImage privately, with exactly its configuration and the shared heap setting', () => {
    const fn = res('google_cloudfunctions2_function.verify_image');
    assert.equal(block(fn, 'build_config')?.entry_point, 'verifyImage');
    const svc = block(fn, 'service_config')!;
    assert.equal(svc.environment_variables, '${local.verify_image_env}');
    const env = mod.locals.verify_image_env as Body;
    assert.deepEqual(Object.keys(env).sort(), VERIFY_ENV);
    assert.equal(env.STORE, '${local.store_ref}');
    assert.equal(env.VSA_SIGNER, '${local.vsa_signer_ref}');
    assert.equal(env.VSA_POLICY, '${local.verify_policy_ref}');
    assert.equal(env.NODE_OPTIONS, '${local.attest_run_node_options}');
    assert.equal(
      env.BINAUTHZ_NOTE,
      '${var.binauthz_enabled ? google_container_analysis_note.vsa[0].id : ""}'
    );
    assert.match(String(mod.locals.verifier_id), /var\.verifier_id/);
    assert.match(String(mod.locals.verify_keys), /crypto_key\.signing\.id/);
    assert.match(
      String(mod.locals.verify_event_keys),
      /crypto_key\.event_signing\.id/
    );
    const invokers = iamBindings(mod).filter(
      ([, b]) =>
        b.service === '${google_cloudfunctions2_function.verify_image.name}'
    );
    assert.deepEqual(
      invokers.map(([, b]) => [b.role, b.member]),
      [['roles/run.invoker', saMember('verify_push')]]
    );
  });

  it('signs VSAs with a key of its own, like the others never destroyed, that only verifyImage signs with', () => {
    const key = res('google_kms_crypto_key.vsa');
    const signing = res('google_kms_crypto_key.signing');
    assert.equal(key.purpose, 'ASYMMETRIC_SIGN');
    assert.equal(key.key_ring, '${google_kms_key_ring.provenance.id}');
    assert.equal(key.name, '${var.vsa_key_name}');
    assert.equal(mod.variables.get('vsa_key_name')?.default, 'vsa');
    assert.deepEqual(
      block(key, 'version_template'),
      block(signing, 'version_template')
    );
    assert.equal(
      key.destroy_scheduled_duration,
      signing.destroy_scheduled_duration
    );
    assert.equal(block(key, 'lifecycle')?.prevent_destroy, true);
    assert.equal(
      mod.locals.vsa_signer_ref,
      'gcpkms://${local.vsa_key_version_name}'
    );
    for (const [address, body] of iamBindings(mod)) {
      if (!/^roles\/cloudkms\.signer(Verifier)?$/.test(String(body.role)))
        continue;
      const onVsa = body.crypto_key_id === '${google_kms_crypto_key.vsa.id}';
      const verify = membersOf(mod, body).includes(VERIFY);
      assert.equal(
        onVsa,
        verify,
        `${address}: VSA signing is verifyImage's alone`
      );
      if (onVsa) assert.deepEqual(membersOf(mod, body), [VERIFY], address);
    }
  });

  it('grants verifyImage nothing beyond its listed, resource-scoped roles', () => {
    const seen = new Set<string>();
    for (const [address, body] of iamBindings(mod)) {
      if (!membersOf(mod, body).includes(VERIFY)) continue;
      const grant = `${address.split('.')[0]}|${String(body.role)}|${scopeOf(body)}`;
      assert.ok(VERIFY_GRANTS.has(grant), `${address}: ${grant}`);
      seen.add(grant);
    }
    assert.deepEqual([...seen].sort(), [...VERIFY_GRANTS].sort());
    for (const [address, body] of iamBindings(mod)) {
      assert.doesNotMatch(
        String(body.role),
        /^roles\/(editor|owner|containeranalysis\.admin|binaryauthorization\.|storage\.(objectAdmin|objectUser|admin))/,
        address
      );
    }
  });

  it('trusts in the attestor only VSA key versions read from KMS, up to the one verifyImage signs with', () => {
    const version = mod.data.get('google_kms_crypto_key_version.vsa')!;
    assert.equal(version.crypto_key, '${google_kms_crypto_key.vsa.id}');
    assert.equal(version.version, '${var.vsa_signing_key_version}');
    const attestor = res('google_binary_authorization_attestor.vsa');
    const note = block(attestor, 'attestation_authority_note')!;
    assert.equal(
      note.note_reference,
      '${google_container_analysis_note.vsa[0].name}'
    );
    // Every trusted version comes from KMS through the data source, up to the one verifyImage signs with.
    const trusted = mod.data.get('google_kms_crypto_key_version.vsa_trusted')!;
    assert.equal(trusted.crypto_key, '${google_kms_crypto_key.vsa.id}');
    assert.match(
      String(trusted.for_each),
      /range\(var\.vsa_attestor_first_version, var\.vsa_signing_key_version \+ 1\)/
    );
    assert.equal(mod.variables.get('vsa_attestor_first_version')?.default, 1);
    const keys = (note.dynamic as Body).public_keys as Body[];
    assert.equal(keys.length, 1);
    assert.equal(
      keys[0]!.for_each,
      '${data.google_kms_crypto_key_version.vsa_trusted}'
    );
    const key = (keys[0]!.content as Body[])[0]!;
    assert.equal(key.id, '${public_keys.value.id}');
    const pkix = block(key, 'pkix_public_key')!;
    assert.equal(pkix.public_key_pem, '${public_keys.value.public_key[0].pem}');
    assert.equal(note.public_keys, undefined, 'no key outside KMS');
    assert.match(
      JSON.stringify(block(attestor, 'lifecycle')?.precondition),
      /vsa_attestor_first_version <= var\.vsa_signing_key_version/
    );
    assert.equal(pkix.signature_algorithm, 'ECDSA_P256_SHA256');
    const hint = block(
      block(
        res('google_container_analysis_note.vsa'),
        'attestation_authority'
      )!,
      'hint'
    );
    assert.ok(hint?.human_readable_name);
    for (const a of [
      'google_container_analysis_note.vsa',
      'google_binary_authorization_attestor.vsa',
    ])
      assert.equal(res(a).count, '${var.binauthz_enabled ? 1 : 0}', a);
    assert.equal(mod.variables.get('binauthz_enabled')?.default, true);
  });

  it('scopes the note attacher to the note and occurrence writing to the project', () => {
    const attacher = res(
      'google_container_analysis_note_iam_member.vsa_attacher'
    );
    assert.equal(
      attacher.note,
      '${google_container_analysis_note.vsa[0].name}'
    );
    assert.equal(attacher.role, 'roles/containeranalysis.notes.attacher');
    const editor = res('google_project_iam_member.vsa_occurrences_editor');
    assert.equal(editor.project, '${var.project}');
    const viewer = res(
      'google_container_analysis_note_iam_member.attestor_occurrences_viewer'
    );
    assert.equal(viewer.note, attacher.note);
    assert.match(
      String(viewer.member),
      /attestor\.vsa\[0\]\.attestation_authority_note\[0\]\.delegation_service_account_email/
    );
  });

  it('requires the attestor only on the listed clusters, with a policy created only when some are listed', () => {
    const policy = res('google_binary_authorization_policy.enforce');
    assert.match(
      String(policy.count),
      /length\(var\.binauthz_enforced_clusters\) > 0 \? 1 : 0/
    );
    assert.match(String(policy.count), /var\.binauthz_enabled/);
    assert.deepEqual(
      mod.variables.get('binauthz_enforced_clusters')?.default,
      []
    );
    assert.equal(policy.global_policy_evaluation_mode, 'ENABLE');
    assert.equal(
      block(policy, 'default_admission_rule')?.evaluation_mode,
      'ALWAYS_ALLOW'
    );
    const rule = block(policy, 'cluster_admission_rules')!;
    assert.equal(rule.cluster, '${cluster_admission_rules.value}');
    assert.equal(rule.evaluation_mode, 'REQUIRE_ATTESTATION');
    assert.equal(rule.enforcement_mode, 'ENFORCED_BLOCK_AND_AUDIT_LOG');
    assert.deepEqual(rule.require_attestations_by, [
      '${google_binary_authorization_attestor.vsa[0].name}',
    ]);
    const allow = block(policy, 'admission_whitelist_patterns')!;
    assert.equal(allow.name_pattern, '${admission_whitelist_patterns.value}');
    assert.ok(
      (mod.variables.get('binauthz_allowlist_patterns')?.default as string[])
        .length > 0
    );
  });

  it('uploads the verify policy to a private, versioned bucket of its own, never into the attestation bucket', () => {
    const bucket = res('google_storage_bucket.policy');
    assert.equal(bucket.uniform_bucket_level_access, true);
    assert.equal(bucket.public_access_prevention, 'enforced');
    assert.equal(block(bucket, 'versioning')?.enabled, true);
    const object = res('google_storage_bucket_object.verify_policy');
    assert.equal(object.bucket, '${google_storage_bucket.policy.name}');
    assert.match(String(object.name), /^policies\//);
    assert.equal(block(object, 'lifecycle')?.create_before_destroy, true);
    for (const [address, body] of [...mod.resources].filter(([a]) =>
      a.startsWith('google_storage_bucket_object.')
    ))
      assert.notEqual(
        body.bucket,
        '${google_storage_bucket.attestations.name}',
        address
      );
    assert.match(
      String(mod.locals.verify_policy_ref),
      /^gs:\/\/\$\{google_storage_bucket\.policy\.name\}\/\$\{google_storage_bucket_object\.verify_policy\.name\}$/
    );
    const file = String(mod.variables.get('verify_policy_file')?.default);
    assert.ok(
      existsSync(join(repoRoot(), 'infra', file)),
      `${file} is missing`
    );
  });

  it('keeps every service account id within 30 characters for the longest name_prefix allowed', () => {
    const rule = String(
      block(mod.variables.get('name_prefix')!, 'validation')?.condition
    );
    const max = 1 + Number(/\{2,(\d+)\}/.exec(rule)![1]);
    for (const [address, body] of [...mod.resources].filter(([a]) =>
      a.startsWith('google_service_account.')
    )) {
      const id = String(body.account_id).replace(
        '${var.name_prefix}',
        'x'.repeat(max)
      );
      assert.ok(id.length <= 30, `${address}: ${id}`);
    }
  });

  it('outputs what a cluster admin and a verifier need', () => {
    const outputs = Object.assign(
      {},
      ...mod.docs.map((d) => (d.output ?? {}) as Body)
    ) as Record<string, Body[]>;
    for (const name of [
      'vsa_kms_key',
      'vsa_public_key_pem',
      'attestor',
      'binauthz_note',
      'attested_topic',
      'verify_image_url',
    ])
      assert.ok(outputs[name]?.[0]?.value, name);
    assert.equal(outputs.vsa_kms_key![0]!.value, '${local.vsa_signer_ref}');
    assert.match(
      String(outputs.vsa_public_key_pem![0]!.value),
      /google_kms_crypto_key_version\.vsa\.public_key/
    );
  });
});
