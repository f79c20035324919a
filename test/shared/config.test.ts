import assert from 'node:assert/strict';
import {
  loadConfig,
  parseDurationSeconds,
  type ConfigHost,
} from '../../shared/config.js';
import { ConfigError } from '../../shared/core/errors.js';

// Files the config may look at, without touching the real filesystem.
function host(files: Record<string, string> = {}): ConfigHost {
  return { exists: (p) => p in files, readText: (p) => files[p] ?? '' };
}

describe('loadConfig', () => {
  it('applies the CONTRACT §6 local defaults (event source without credentials, with a warning)', () => {
    const c = loadConfig({ HOME: '/home/none' }, host());
    assert.equal(c.port, 8080);
    assert.equal(c.store, './attestations');
    assert.equal(c.signer, './.keys/signing.pem');
    assert.equal(c.generateSigner, true);
    assert.equal(c.runSource, 'event');
    assert.deepEqual(c.formats, ['slsa/v0.2']);
    assert.equal(c.buildType, 'slsa');
    assert.equal(c.builderId, 'https://tekton.dev/chains/v2');
    assert.equal(c.maxBodyBytes, 8 * 1024 * 1024);
    assert.deepEqual(c.reconcile, {
      windowSeconds: 86400,
      namespaces: [],
      pageSize: 500,
      budgetSeconds: 240,
    });
    assert.equal(c.allowUnauthenticatedWebhooks, false);
    assert.equal(c.embedTriggerEvent, false);
    assert.match(c.warnings.join('\n'), /RUN_SOURCE=event/);
  });

  it('defaults to the kubernetes source when ~/.kube/config or in-cluster credentials exist', () => {
    const kc = loadConfig(
      { HOME: '/home/dev' },
      host({ '/home/dev/.kube/config': 'x' })
    );
    assert.equal(kc.runSource, 'kubernetes');
    assert.equal(kc.kube.auth, 'kubeconfig');
    const sa = loadConfig(
      { KUBERNETES_SERVICE_HOST: '10.0.0.1' },
      host({ '/var/run/secrets/kubernetes.io/serviceaccount/token': 't' })
    );
    assert.equal(sa.kube.auth, 'in-cluster');
    assert.equal(sa.runSource, 'kubernetes');
    const gke = loadConfig(
      { KUBE_SERVER: 'https://203.0.113.7', KUBE_CA_DATA: 'LS0tLS1CRUdJTg==' },
      host()
    );
    assert.deepEqual(
      [gke.kube.auth, gke.runSource, gke.kube.token],
      ['server', 'kubernetes', undefined]
    );
  });

  it('reads every setting', () => {
    const c = loadConfig(
      {
        PORT: '9090',
        STORE: 'gs://bucket/prefix',
        SIGNER: 'gcpkms://projects/p/locations/l/keyRings/r/cryptoKeys/k',
        RUN_SOURCE: 'event',
        FORMATS: 'in-toto, slsa/v2alpha4,tekton,slsa/v0.2',
        BUILDER_ID: 'https://example.com/builder',
        BUILD_TYPE: 'slsa-tekton',
        DEEP_INSPECTION: 'true',
        WEBHOOK_SECRET_FILE: '/s/secret',
        ALLOW_UNAUTHENTICATED_WEBHOOKS: 'false',
        EMBED_TRIGGER_EVENT: '1',
        RECONCILE_WINDOW: '90m',
        RECONCILE_NAMESPACES: 'ci, prod',
        RECONCILE_PAGE_SIZE: '50',
        RECONCILE_BUDGET_SECONDS: '60',
        MAX_BODY_BYTES: '65536',
        KUBE_TIMEOUT_MS: '2500',
      },
      host({ '/s/secret': 'hunter2\n' })
    );
    assert.deepEqual(c.formats, ['slsa/v0.2', 'slsa/v1.0', 'tekton']);
    assert.deepEqual(c.webhookSecret, {
      source: 'file',
      path: '/s/secret',
      secrets: ['hunter2'],
      refreshSeconds: 30,
    });
    assert.deepEqual(c.eventTypes, ['push', 'pull_request', 'release', 'tag']);
    assert.equal(c.eventDedupe, 'body');
    assert.equal(c.eventSigner, undefined);
    assert.deepEqual(
      [
        c.port,
        c.generateSigner,
        c.deepInspection,
        c.embedTriggerEvent,
        c.buildType,
      ],
      [9090, false, true, true, 'slsa-tekton']
    );
    assert.deepEqual(c.reconcile, {
      windowSeconds: 5400,
      namespaces: ['ci', 'prod'],
      pageSize: 50,
      budgetSeconds: 60,
    });
    assert.equal(c.maxBodyBytes, 65536);
    assert.equal(c.kube.timeoutMs, 2500);
    assert.ok(Object.isFrozen(c));
  });

  it('lists every bad variable in one ConfigError, never a secret value', () => {
    const env = {
      PORT: 'eighty',
      STORE: 'ftp://x',
      SIGNER: 'awskms://key',
      RUN_SOURCE: 'cluster',
      FORMATS: 'slsa/v0.2,simplesigning',
      BUILD_TYPE: 'chains',
      DEEP_INSPECTION: 'maybe',
      WEBHOOK_SECRET: 's3cr3t-value',
      WEBHOOK_SECRET_FILE: '/missing',
      ALLOW_UNAUTHENTICATED_WEBHOOKS: 'yes',
      EMBED_TRIGGER_EVENT: 'sure',
      RECONCILE_WINDOW: 'a day',
      RECONCILE_NAMESPACES: 'CI_Bad',
      RECONCILE_PAGE_SIZE: '0',
      RECONCILE_BUDGET_SECONDS: '-1',
      MAX_BODY_BYTES: '1e9',
      BUILDER_ID: 'not a uri',
      KUBE_SERVER: 'https://203.0.113.7',
      KUBE_TIMEOUT_MS: 'fast',
    };
    assert.throws(
      () => loadConfig(env, host()),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.equal(err.code, 'CONFIG_INVALID');
        for (const name of [
          ...Object.keys(env).filter(
            (k) => k !== 'WEBHOOK_SECRET' && k !== 'KUBE_SERVER'
          ),
          'KUBE_CA_FILE',
        ]) {
          assert.match(err.message, new RegExp(`\\b${name}:`), name);
        }
        assert.ok(!err.message.includes('s3cr3t-value'));
        return true;
      }
    );
  });

  it('refuses RUN_SOURCE=kubernetes without credentials (CONFIG_MISSING)', () => {
    assert.throws(
      () => loadConfig({ RUN_SOURCE: 'kubernetes', HOME: '/nowhere' }, host()),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.equal(err.code, 'CONFIG_MISSING');
        assert.match(err.message, /RUN_SOURCE: missing/);
        return true;
      }
    );
  });

  it('never defaults to the event source when deployed as attestRun (CONFIG_MISSING names RUN_SOURCE)', () => {
    const deployed = { HOME: '/nowhere', FUNCTION_TARGET: 'attestRun' };
    assert.throws(
      () => loadConfig(deployed, host()),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.equal(err.code, 'CONFIG_MISSING');
        assert.match(
          err.message,
          /RUN_SOURCE: missing.*RUN_SOURCE=event explicitly/
        );
        return true;
      }
    );
    assert.equal(
      loadConfig({ ...deployed, RUN_SOURCE: 'event' }, host()).runSource,
      'event'
    );
    assert.equal(
      loadConfig({ ...deployed, FUNCTION_TARGET: 'signEvent' }, host())
        .runSource,
      'event'
    );
  });

  it('reads ATTESTED_TOPIC (unset: off) and refuses one that is not projects/P/topics/T in one line', () => {
    const env = { HOME: '/home/none', RUN_SOURCE: 'event' };
    assert.equal(loadConfig(env, host()).attestedTopic, undefined);
    const topic = 'projects/p-1/topics/attested';
    const on = loadConfig({ ...env, ATTESTED_TOPIC: topic }, host());
    assert.equal(on.attestedTopic, topic);
    for (const bad of [
      'attested',
      'projects/p/topics/',
      'projects/p/subscriptions/s',
      'projects/p/topics/t/x',
      'projects/p q/topics/t',
    ]) {
      assert.throws(
        () => loadConfig({ ...env, ATTESTED_TOPIC: bad }, host()),
        (err: unknown) =>
          err instanceof ConfigError &&
          err.code === 'CONFIG_INVALID' &&
          !err.message.includes('\n') &&
          err.message.includes(
            'ATTESTED_TOPIC: expected a topic projects/P/topics/T'
          ),
        bad
      );
    }
  });

  it('parses durations', () => {
    assert.deepEqual(
      ['90', '90s', '15m', '24h', '2d', 'x', '1w'].map(parseDurationSeconds),
      [90, 90, 900, 86400, 172800, undefined, undefined]
    );
  });
});
