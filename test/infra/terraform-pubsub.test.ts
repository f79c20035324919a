// The Pub/Sub wiring of infra/ (#16): the attested topic, and the two OIDC push subscriptions to verifyImage.
import assert from 'node:assert/strict';
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

const PUSH = saMember('verify_push');

describe('infra/ Pub/Sub', function () {
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

  it('announces attestations on the attested topic from attestRun and reconcile only', () => {
    const env = (fn: string) =>
      String(
        block(res(`google_cloudfunctions2_function.${fn}`), 'service_config')!
          .environment_variables
      );
    for (const fn of ['attest_run', 'reconcile'])
      assert.match(
        env(fn),
        /ATTESTED_TOPIC\s*=\s*google_pubsub_topic\.attested\.id\b/,
        fn
      );
    assert.doesNotMatch(env('sign_event'), /ATTESTED_TOPIC/);
    const publisher = res('google_pubsub_topic_iam_member.attested_publisher');
    assert.equal(publisher.topic, '${google_pubsub_topic.attested.name}');
    assert.equal(publisher.role, 'roles/pubsub.publisher');
    assert.deepEqual(membersOf(mod, publisher).sort(), [
      saMember('attest_run'),
      saMember('reconcile'),
    ]);
  });

  it('grants Pub/Sub roles only on a topic or subscription, never on the project', () => {
    for (const [address, body] of iamBindings(mod)) {
      if (!String(body.role).startsWith('roles/pubsub.')) continue;
      assert.match(
        address,
        /^google_pubsub_(topic|subscription)_iam_member\./,
        address
      );
      assert.ok(body.topic ?? body.subscription, address);
    }
  });

  it('pushes the registry and attested topics to verifyImage with an OIDC token of the push identity', () => {
    const sub = res('google_pubsub_subscription.verify_image');
    assert.equal(sub.for_each, '${local.verify_inputs}');
    assert.deepEqual(mod.locals.verify_inputs, {
      registry: '${local.registry_topic}',
      attested: '${google_pubsub_topic.attested.id}',
    });
    const push = block(sub, 'push_config')!;
    assert.equal(push.push_endpoint, '${local.verify_image_url}');
    const oidc = block(push, 'oidc_token')!;
    assert.equal(
      oidc.service_account_email,
      '${google_service_account.verify_push.email}'
    );
    assert.equal(oidc.audience, '${local.verify_image_url}');
    assert.equal(
      mod.locals.verify_image_url,
      '${google_cloudfunctions2_function.verify_image.service_config[0].uri}'
    );
    assert.deepEqual((sub.depends_on as string[]).sort(), [
      '${google_cloud_run_service_iam_member.verify_image_invoker}',
      '${google_service_account_iam_member.pubsub_token_creator}',
    ]);
  });

  it('delivers with an ack deadline above the function timeout, backoff, 7-day retention and no expiry', () => {
    const sub = res('google_pubsub_subscription.verify_image');
    const timeout = Number(
      block(
        res('google_cloudfunctions2_function.verify_image'),
        'service_config'
      )!.timeout_seconds
    );
    assert.ok(Number(mod.locals.verify_ack_deadline_seconds) > timeout);
    assert.equal(
      sub.ack_deadline_seconds,
      '${local.verify_ack_deadline_seconds}'
    );
    assert.equal(sub.message_retention_duration, '604800s');
    assert.equal(block(sub, 'expiration_policy')?.ttl, '');
    const retry = block(sub, 'retry_policy')!;
    assert.ok(parseInt(String(retry.minimum_backoff)) >= 10);
    assert.ok(
      parseInt(String(retry.maximum_backoff)) >
        parseInt(String(retry.minimum_backoff))
    );
    const dead = block(sub, 'dead_letter_policy')!;
    assert.equal(
      dead.dead_letter_topic,
      '${google_pubsub_topic.verify_dead_letter[0].id}'
    );
    assert.equal(mod.variables.get('verify_dead_letter')?.default, false);
  });

  it('lets the push identity do nothing but invoke verifyImage', () => {
    const grants = iamBindings(mod).filter(([, b]) =>
      membersOf(mod, b).includes(PUSH)
    );
    assert.deepEqual(
      grants.map(([a, b]) => [a, b.role, b.service]),
      [
        [
          'google_cloud_run_service_iam_member.verify_image_invoker',
          'roles/run.invoker',
          '${google_cloudfunctions2_function.verify_image.name}',
        ],
      ]
    );
    const onPush = iamBindings(mod).filter(
      ([, b]) =>
        b.service_account_id === '${google_service_account.verify_push.name}'
    );
    assert.deepEqual(
      onPush.map(([a]) => a),
      ['google_service_account_iam_member.pubsub_token_creator']
    );
    assert.equal(
      mod.variables.get('grant_pubsub_token_creator')?.default,
      true
    );
  });

  it('subscribes to the topic Artifact Registry publishes to, gcr in the project by default', () => {
    const topic = res('google_pubsub_topic.registry');
    assert.equal(topic.name, 'gcr');
    assert.equal(topic.count, '${var.create_registry_topic ? 1 : 0}');
    assert.equal(
      mod.locals.default_registry,
      'projects/${var.project}/topics/gcr'
    );
    assert.match(
      String(mod.locals.registry_topic),
      /google_pubsub_topic\.registry\[0\]\.id/
    );
    assert.match(
      String(mod.locals.registry_topic),
      /coalesce\(var\.registry_topic, local\.default_registry\)/
    );
    assert.equal(mod.variables.get('create_registry_topic')?.default, true);
  });
});
