import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { githubSignature } from '../shared/webhook-auth.js';

// Tests run from the repository root.
const dir = join(process.cwd(), 'examples/triggers');
const read = (file: string) => readFile(join(dir, file), 'utf8');
async function docs(file: string): Promise<unknown[]> {
  return parseAllDocuments(await read(file)).map((d) => d.toJS() as unknown);
}

// Walks a parsed document by keys and indexes; undefined when a step is missing.
function at(value: unknown, ...path: (string | number)[]): unknown {
  return path.reduce<unknown>(
    (v, k) =>
      typeof v === 'object' && v !== null
        ? (v as Record<string | number, unknown>)[k]
        : undefined,
    value
  );
}
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const ofKind = (all: unknown[], kind: string) =>
  all.find((d) => at(d, 'kind') === kind);
const param = (params: unknown, name: string) =>
  at(
    list(params).find((p) => at(p, 'name') === name),
    'value'
  );

describe('examples/triggers', () => {
  it('the ClusterInterceptor is https-labelled and its caBundle holds the GTS roots', async () => {
    const ci = ofKind(
      await docs('cluster-interceptor.yaml'),
      'ClusterInterceptor'
    );
    assert.equal(at(ci, 'metadata', 'labels', 'server/type'), 'https');
    assert.match(String(at(ci, 'spec', 'clientConfig', 'url')), /^https:\/\//);
    const bundle = String(at(ci, 'spec', 'clientConfig', 'caBundle'));
    const pem = Buffer.from(bundle, 'base64').toString('utf8');
    assert.equal(pem, await read('gts-roots.pem'));
    const certs =
      pem.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ??
      [];
    const names = certs.map(
      (c) => /CN=(.*)/.exec(new X509Certificate(c).subject)?.[1]
    );
    assert.deepEqual(names, ['GTS Root R1', 'GTS Root R4']);
  });

  it('the Trigger runs github first and sign-event after it; bindings feed the template', async () => {
    const trigger = ofKind(await docs('eventlistener.yaml'), 'Trigger');
    const interceptors = list(at(trigger, 'spec', 'interceptors'));
    assert.deepEqual(
      interceptors.map((i) => at(i, 'ref', 'name')),
      ['github', 'cel', 'sign-event']
    );
    const github = at(interceptors[0], 'params');
    assert.deepEqual(param(github, 'eventTypes'), ['push']);
    assert.equal(
      at(param(github, 'secretRef'), 'secretName'),
      'github-webhook-secret'
    );
    const bt = await docs('trigger-binding-template.yaml');
    const binding = ofKind(bt, 'TriggerBinding');
    const template = ofKind(bt, 'TriggerTemplate');
    const names = (doc: unknown) =>
      list(at(doc, 'spec', 'params')).map((p) => at(p, 'name'));
    assert.deepEqual(names(binding), names(template));
    assert.equal(
      param(at(binding, 'spec', 'params'), 'event-id'),
      '$(extensions.provenance.eventId)'
    );
    const pr = at(template, 'spec', 'resourcetemplates', 0);
    assert.equal(at(pr, 'kind'), 'PipelineRun');
    assert.equal(at(pr, 'apiVersion'), 'tekton.dev/v1');
    assert.equal(
      at(trigger, 'spec', 'template', 'ref'),
      at(template, 'metadata', 'name')
    );
    assert.equal(
      at(trigger, 'spec', 'bindings', 0, 'ref'),
      at(binding, 'metadata', 'name')
    );
  });

  it('the example InterceptorRequest carries a valid HMAC of push-event.json under the shipped secret', async () => {
    const body = await readFile(join(dir, 'push-event.json'));
    const secret = (await read('webhook-secret.txt')).trim();
    const req = JSON.parse(await read('interceptor-request.json')) as unknown;
    assert.ok(Buffer.from(String(at(req, 'body')), 'utf8').equals(body));
    assert.deepEqual(at(req, 'header', 'X-Hub-Signature-256'), [
      githubSignature(body, secret),
    ]);
    // It is the event that triggered the shipped TEP-0084 PipelineRun, revision included.
    const pr = JSON.parse(
      await readFile(
        join(process.cwd(), 'examples/tep-0084/pipelinerun.json'),
        'utf8'
      )
    ) as unknown;
    const label = at(
      pr,
      'metadata',
      'labels',
      'triggers.tekton.dev/triggers-eventid'
    );
    assert.equal(at(req, 'context', 'event_id'), label);
    const event = JSON.parse(body.toString('utf8')) as unknown;
    assert.equal(
      at(event, 'head_commit', 'id'),
      param(at(pr, 'spec', 'params'), 'revision')
    );
  });
});
