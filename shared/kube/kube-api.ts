// The Kubernetes client setup shared by the run source and the run lister; the client is imported lazily.
import { readFile } from 'node:fs/promises';
import type { CustomObjectsApi } from '@kubernetes/client-node';
import type { KubeSettings } from '../config-kube.js';
import { ConfigError, SourceError } from '../core/errors.js';
import { KubeRestApi } from './kube-rest.js';
import type { KubeApi, KubeRunSourceOptions } from './kube-run-source.js';

const CLOUD_PLATFORM = 'https://www.googleapis.com/auth/cloud-platform';

// A CustomObjectsApi (the reconcile lister), the run source's lean reads on the same KubeConfig, and the
// per-request options (deadline, bearer token, the client's Observable).
export interface KubeApiClient {
  api: CustomObjectsApi;
  runApi: KubeApi;
  options: KubeRunSourceOptions;
}

// Credentials from KubeSettings: explicit endpoint (+ token or Google ADC), kubeconfig, or in-cluster account.
export async function makeKubeApi(kube: KubeSettings): Promise<KubeApiClient> {
  const k8s = await import('@kubernetes/client-node');
  const kc = new k8s.KubeConfig();
  let token: (() => Promise<string>) | undefined;
  if (kube.auth === 'server' && kube.server !== undefined) {
    kc.loadFromClusterAndUser(
      {
        name: 'endpoint',
        server: kube.server,
        // Plain http (a local stand-in) has no TLS to verify; https always verifies against KUBE_CA_*.
        skipTLSVerify: kube.server.startsWith('http:'),
        ...(kube.caFile ? { caFile: kube.caFile } : {}),
        ...(kube.caData ? { caData: kube.caData } : {}),
      },
      { name: 'endpoint-user' }
    );
    token = await tokenProvider(kube);
  } else if (kube.auth === 'kubeconfig') {
    // One file (e.g. backfill --kubeconfig) is read as given; a KUBECONFIG list is merged by the client.
    const file = kube.kubeconfig;
    if (file !== undefined && !file.includes(':')) kc.loadFromFile(file);
    else kc.loadFromDefault();
    if (kube.context) kc.setCurrentContext(kube.context);
  } else if (kube.auth === 'in-cluster') {
    kc.loadFromCluster();
  } else {
    throw new ConfigError(
      'CONFIG_MISSING',
      'RUN_SOURCE: kubernetes needs KUBE_SERVER, KUBECONFIG, ~/.kube/config or in-cluster credentials'
    );
  }
  const options: KubeRunSourceOptions = {
    timeoutMs: kube.timeoutMs,
    observable: (promise) => new k8s.Observable(promise),
    ...(token ? { token } : {}),
  };
  return {
    api: kc.makeApiClient(k8s.CustomObjectsApi),
    runApi: new KubeRestApi(kc, token),
    options,
  };
}

// KUBE_TOKEN, else KUBE_TOKEN_FILE (re-read each minute, as projected tokens rotate), else Google ADC.
async function tokenProvider(
  kube: KubeSettings
): Promise<() => Promise<string>> {
  const fixed = kube.token;
  if (fixed !== undefined) return () => Promise.resolve(fixed);
  const file = kube.tokenFile;
  if (file !== undefined) {
    let cached: { value: string; at: number } | undefined;
    return async () => {
      if (!cached || Date.now() - cached.at > 60_000) {
        cached = {
          value: (await readFile(file, 'utf8')).trim(),
          at: Date.now(),
        };
      }
      return cached.value;
    };
  }
  const { GoogleAuth } = await import('google-auth-library');
  const auth = new GoogleAuth({ scopes: [CLOUD_PLATFORM] });
  // getAccessToken caches the token and refreshes it shortly before it expires.
  return async () => {
    try {
      const value = await auth.getAccessToken();
      if (value) return value;
    } catch (err) {
      throw new SourceError(
        'KUBE_UNAVAILABLE',
        'expected a Google access token for the cluster, got an error',
        { cause: err }
      );
    }
    throw new SourceError(
      'KUBE_UNAVAILABLE',
      'expected a Google access token for the cluster, got none'
    );
  };
}
