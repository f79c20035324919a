// The functions in infra/: entry points that exist in the build output, sizing, identities and configuration.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEPLOY_MAIN } from '../../scripts/build-deploy.js';
import {
  buildDeployFixture,
  runNode,
  type DeployFixture,
} from './deploy-fixture.js';
import {
  block,
  loadModule,
  ofType,
  repoRoot,
  type Body,
  type TfModule,
} from './hcl.js';

// The entry points functions/index.ts registers, each deployed by Terraform (checked against the bundle below).
const ENTRY_POINTS = {
  attest_run: 'attestRun',
  sign_event: 'signEvent',
  reconcile: 'reconcile',
  verify_image: 'verifyImage',
};

// Names of the environment variables set in a service_config (locals and inline merge() objects).
function envNames(mod: TfModule, service: Body): string[] {
  const expr = String(service.environment_variables);
  const names = [...expr.matchAll(/\b([A-Z][A-Z0-9_]+)\s*=/g)].map(
    (m) => m[1]!
  );
  for (const local of expr.matchAll(/local\.(\w+)/g)) {
    const value = mod.locals[local[1]!];
    if (typeof value === 'object' && value !== null)
      names.push(...Object.keys(value));
  }
  return names;
}

// Every variable name shared/config*.ts reads (quoted upper-case names).
function configNames(): Set<string> {
  const dir = join(repoRoot(), 'shared');
  const sources = readdirSync(dir).filter((f) => /^config.*\.ts$/.test(f));
  const text = sources
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');
  return new Set([...text.matchAll(/'([A-Z][A-Z0-9_]+)'/g)].map((m) => m[1]!));
}

describe('infra/ functions', function () {
  let mod: TfModule;
  before(async function () {
    this.timeout(20000);
    mod = await loadModule(join(repoRoot(), 'infra'));
  });

  it('deploys the four entry points on Node.js 20, each with its own identity', () => {
    const fns = ofType(mod, 'google_cloudfunctions2_function');
    assert.deepEqual(
      fns.map(([a]) => a.split('.')[1]).sort(),
      Object.keys(ENTRY_POINTS).sort()
    );
    for (const [address, body] of fns) {
      const name = address.split('.')[1] as keyof typeof ENTRY_POINTS;
      const build = block(body, 'build_config')!;
      assert.equal(build.runtime, 'nodejs20');
      assert.equal(build.entry_point, ENTRY_POINTS[name]);
      const source = block(block(build, 'source')!, 'storage_source')!;
      assert.equal(
        source.object,
        '${google_storage_bucket_object.source.name}'
      );
      const service = block(body, 'service_config')!;
      assert.equal(
        service.service_account_email,
        `\${google_service_account.${name}.email}`
      );
    }
  });

  it('states the heap attestRun runs with (the value the bench measures peak RSS with)', () => {
    const options = String(mod.locals['attest_run_node_options']);
    assert.match(options, /^--max-old-space-size=\d+$/);
    const fn = mod.resources.get('google_cloudfunctions2_function.attest_run')!;
    const env = String(block(fn, 'service_config')!.environment_variables);
    assert.match(env, /NODE_OPTIONS\s*=\s*local\.attest_run_node_options\b/);
  });

  it('sizes each function for its job', () => {
    const svc = (n: string) =>
      block(
        mod.resources.get(`google_cloudfunctions2_function.${n}`)!,
        'service_config'
      )!;
    assert.ok(Number(svc('attest_run').max_instance_request_concurrency) > 1);
    for (const n of Object.keys(ENTRY_POINTS))
      assert.equal(svc(n).available_cpu, '1', `${n}: concurrency needs 1 vCPU`);
    assert.equal(
      svc('sign_event').min_instance_count,
      '${var.sign_event_instances.min}'
    );
    const instances = mod.variables.get('sign_event_instances')!
      .default as Body;
    assert.ok(
      Number(instances.min) >= 1,
      'a warm signEvent for the 10 s EventListener budget'
    );
    assert.ok(Number(svc('sign_event').timeout_seconds) <= 30);
    assert.equal(svc('reconcile').max_instance_request_concurrency, 1);
    assert.equal(svc('reconcile').max_instance_count, 1);
    const job = mod.resources.get('google_cloud_scheduler_job.reconcile')!;
    assert.ok(
      parseInt(String(job.attempt_deadline)) >
        Number(svc('reconcile').timeout_seconds)
    );
  });

  it('configures the functions only with variables shared/config.ts reads, the secret as a file', () => {
    const known = configNames();
    for (const [address, body] of ofType(
      mod,
      'google_cloudfunctions2_function'
    )) {
      const names = envNames(mod, block(body, 'service_config')!);
      assert.ok(names.includes('STORE'), address);
      // verifyImage signs only with VSA_SIGNER: it must not be handed the provenance SIGNER.
      const signs = address.endsWith('.verify_image') ? 'VSA_SIGNER' : 'SIGNER';
      assert.ok(names.includes(signs), `${address}: ${signs}`);
      if (signs === 'VSA_SIGNER') assert.ok(!names.includes('SIGNER'));
      // NODE_ENV and NODE_OPTIONS are read by Node and Express, not by us.
      const ours = names.filter(
        (n) => n !== 'NODE_ENV' && n !== 'NODE_OPTIONS'
      );
      for (const name of ours)
        assert.ok(known.has(name), `${address}: ${name} is not read`);
      assert.ok(!names.includes('WEBHOOK_SECRET'), 'no secret value in env');
    }
    const sign = block(
      mod.resources.get('google_cloudfunctions2_function.sign_event')!,
      'service_config'
    )!;
    assert.ok(envNames(mod, sign).includes('WEBHOOK_SECRET_FILE'));
    // signEvent signs events with the event key; the other two never get EVENT_SIGNER.
    assert.match(
      String(sign.environment_variables),
      /EVENT_SIGNER\s*=\s*local\.event_signer_ref/
    );
    assert.match(
      String(sign.environment_variables),
      /EVENT_TYPES\s*=\s*join\(",", var\.event_types\)/
    );
    assert.deepEqual(mod.variables.get('event_types')?.default, [
      'push',
      'pull_request',
      'release',
      'tag',
    ]);
    for (const fn of ['attest_run', 'reconcile']) {
      const other = block(
        mod.resources.get(`google_cloudfunctions2_function.${fn}`)!,
        'service_config'
      )!;
      assert.ok(!envNames(mod, other).includes('EVENT_SIGNER'), fn);
    }
    assert.equal(
      block(sign, 'secret_volumes')?.mount_path,
      '${local.webhook_secret_dir}'
    );
    const kube = mod.locals.kube_env as Body;
    assert.equal(
      kube.RUN_SOURCE,
      'kubernetes',
      'production re-reads every run from the API server'
    );
    const versions = ofType(mod, 'google_secret_manager_secret_version');
    assert.equal(
      versions.length,
      0,
      'the secret value never enters the Terraform state'
    );
  });

  describe('build output', function () {
    let fixture: DeployFixture | undefined;
    before(async function () {
      this.timeout(20000);
      fixture = await buildDeployFixture();
      if (!fixture) this.skip(); // dist/functions/index.js absent: run `npm run build` first
    });
    after(() => fixture?.cleanup());

    it('registers every Terraform entry point in the deployed bundle', async function () {
      this.timeout(20000);
      const names = Object.values(ENTRY_POINTS);
      const script = `import { getFunction } from '@google-cloud/functions-framework/testing';
await import('./${DEPLOY_MAIN}');
console.log(JSON.stringify(${JSON.stringify(names)}.filter((n) => typeof getFunction(n) === 'function')));`;
      const env = {
        PATH: process.env.PATH,
        HOME: fixture!.tmp,
        STORE: join(fixture!.tmp, 'store'),
        RUN_SOURCE: 'event',
        METADATA_SERVER_DETECTION: 'none',
        ALLOW_UNAUTHENTICATED_WEBHOOKS: 'true',
      };
      const run = await runNode(
        ['--input-type=module', '-e', script],
        fixture!.out,
        env
      );
      assert.equal(run.code, 0, run.stderr);
      const registered = JSON.parse(
        run.stdout.trim().split('\n').pop()!
      ) as string[];
      assert.deepEqual(
        registered,
        names,
        `registered: ${registered.join(', ')}`
      );
    });
  });
});
