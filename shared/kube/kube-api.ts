// The Kubernetes client setup shared by the run source and the run lister; the client is imported lazily,
// KubeConfig first (kube-config.ts) and the generated API only for the lister (kube-objects-api.ts).
import { readFile } from 'node:fs/promises';
import type { CustomObjectsApi } from '@kubernetes/client-node';
import type { KubeSettings } from '../config-kube.js';
import { SourceError } from '../core/errors.js';
import { CLOUD_PLATFORM } from '../http/adc.js';
import { KubeRestApi } from './kube-rest.js';
import type { KubeListerOptions } from './kube-run-lister.js';
import type { KubeApi, KubeRunSourceOptions } from './kube-run-source.js';

// The run source's lean reads on the KubeConfig, their per-request options (deadline, bearer token), and
// the generated CustomObjectsApi for the run lister on the same KubeConfig, loaded on its first use.
export interface KubeApiClient {
  runApi: KubeApi;
  options: KubeRunSourceOptions;
  objectsApi(): Promise<{ api: CustomObjectsApi; options: KubeListerOptions }>;
}

// Credentials from KubeSettings: explicit endpoint (+ token or Google ADC), kubeconfig, or in-cluster account.
export async function makeKubeApi(kube: KubeSettings): Promise<KubeApiClient> {
  const { loadKubeConfig } = await import('./kube-config.js');
  const kc = loadKubeConfig(kube);
  const token =
    kube.auth === 'server' && kube.server !== undefined
      ? await tokenProvider(kube)
      : undefined;
  const options: KubeRunSourceOptions = {
    timeoutMs: kube.timeoutMs,
    ...(token ? { token } : {}),
  };
  let objects: ReturnType<KubeApiClient['objectsApi']> | undefined;
  return {
    runApi: new KubeRestApi(kc, token),
    options,
    objectsApi: () =>
      (objects ??= import('./kube-objects-api.js').then(({ objectsApiFor }) => {
        const { api, observable } = objectsApiFor(kc);
        return { api, options: { ...options, observable } };
      })),
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
