// The cluster side of infra/: read-only RBAC on runs, the config-events sink and the signEvent interceptor.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  block,
  loadModule,
  repoRoot,
  walk,
  type Body,
  type TfModule,
} from './hcl.js';

describe('infra/ Kubernetes side', function () {
  let mod: TfModule;
  before(async function () {
    this.timeout(20000);
    mod = await loadModule(join(repoRoot(), 'infra'));
  });

  it('gives every RBAC rule only get/list/watch on Tekton taskruns and pipelineruns', () => {
    const rules: Body[] = [];
    mod.docs.forEach((doc) =>
      walk(doc, (obj) => void ('verbs' in obj && rules.push(obj)))
    );
    assert.ok(rules.length >= 1, 'no RBAC rule found');
    for (const rule of rules) {
      for (const verb of rule.verbs as string[])
        assert.ok(['get', 'list', 'watch'].includes(verb), verb);
      for (const res of rule.resources as string[])
        assert.ok(['taskruns', 'pipelineruns'].includes(res), res);
      assert.deepEqual(rule.apiGroups, ['tekton.dev']);
    }
    const kinds = JSON.stringify(mod.docs);
    assert.doesNotMatch(
      kinds,
      /kubernetes_(cluster_)?role(_binding)?_v1|"Role"/,
      'roles only via the checked manifests'
    );
  });

  it('binds the role to the attestRun and reconcile identities only, as GKE users', () => {
    const subjects = String(mod.locals.rbac_subjects);
    assert.match(
      subjects,
      /google_service_account.attest_run.email, google_service_account.reconcile.email/
    );
    assert.match(subjects, /kind += "User"/);
    assert.doesNotMatch(subjects, /sign_event/);
    const bindings = String(mod.locals.k8s_bindings);
    assert.match(
      bindings,
      /kind += "ClusterRole", name = local.run_reader_role/
    );
    assert.match(bindings, /kind += "RoleBinding"[\s\S]*namespace = ns/);
  });

  it('points config-events at the sink, taking over only the sink key', () => {
    const cm = mod.resources.get(
      'kubernetes_config_map_v1_data.config_events_sink'
    )!;
    assert.equal(block(cm, 'metadata')?.name, 'config-events');
    assert.deepEqual(cm.data, { sink: '${local.sink_url}' });
    assert.equal(cm.force, true);
    assert.match(
      String(mod.locals.sink_url),
      /google_cloudfunctions2_function.attest_run.service_config\[0\].uri/
    );
  });

  it('declares the signEvent ClusterInterceptor as https with a non-empty CA bundle of valid roots', () => {
    const ic = mod.locals.k8s_interceptor as Body;
    assert.equal(ic.kind, 'ClusterInterceptor');
    assert.deepEqual((ic.metadata as Body).labels, { 'server/type': 'https' });
    const client = (ic.spec as Body).clientConfig as Body;
    assert.equal(client.url, '${local.interceptor_url}');
    assert.equal(
      client.caBundle,
      '${base64encode(local.interceptor_ca_bundle)}'
    );
    assert.match(String(mod.locals.interceptor_ca_bundle), /gts-roots.pem/);
    const pem = readFileSync(
      join(repoRoot(), 'infra', 'gts-roots.pem'),
      'utf8'
    );
    const certs =
      pem.match(
        /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g
      ) ?? [];
    assert.equal(certs.length, 4);
    for (const text of certs) {
      const cert = new X509Certificate(text);
      assert.match(cert.subject, /O=Google Trust Services LLC/);
      assert.ok(cert.ca && cert.checkIssued(cert), 'self-signed root');
      assert.ok(new Date(cert.validTo) > new Date(), `${cert.subject} expired`);
    }
    assert.match(
      String(mod.locals.interceptor_url),
      /sign_event.service_config\[0\].uri/
    );
  });
});
