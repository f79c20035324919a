// Where the Kubernetes credentials come from: an explicit endpoint (GKE), a kubeconfig, or the in-cluster account.
import { join } from 'node:path';
import type { EnvReader } from './config-reader.js';

// Files the configuration may look at; tests pass their own.
export interface ConfigHost {
  exists(path: string): boolean;
  readText(path: string): string;
}

export const SERVICE_ACCOUNT_TOKEN =
  '/var/run/secrets/kubernetes.io/serviceaccount/token';

export interface KubeSettings {
  // server: KUBE_SERVER (+ KUBE_CA_*; token from KUBE_TOKEN[_FILE] or Google application-default credentials).
  auth: 'server' | 'kubeconfig' | 'in-cluster' | 'none';
  server?: string;
  caFile?: string;
  caData?: string;
  // A static bearer token (never logged); without one, `server` uses Google ADC.
  token?: string;
  tokenFile?: string;
  kubeconfig?: string;
  context?: string;
  // Client-side deadline of each API request.
  timeoutMs: number;
}

function serverSettings(r: EnvReader, host: ConfigHost, server: string) {
  const s: Partial<KubeSettings> = { auth: 'server', server };
  if (!/^https?:\/\/[^/\s]+\/?$/.test(server)) {
    r.invalid('KUBE_SERVER', 'an URL such as https://203.0.113.7', server);
  }
  const caFile = r.str('KUBE_CA_FILE');
  const caData = r.str('KUBE_CA_DATA');
  if (caFile !== undefined && !host.exists(caFile)) {
    r.invalid('KUBE_CA_FILE', 'a readable PEM file', caFile);
  }
  if (caData !== undefined && !/^[A-Za-z0-9+/=\s]+$/.test(caData)) {
    r.invalid('KUBE_CA_DATA', 'base64 of a PEM certificate');
  }
  if (server.startsWith('https:') && !caFile && !caData) {
    r.missing(
      'KUBE_CA_FILE',
      'KUBE_SERVER over https needs KUBE_CA_FILE or KUBE_CA_DATA'
    );
  }
  const token = r.str('KUBE_TOKEN');
  const tokenFile = r.str('KUBE_TOKEN_FILE');
  if (tokenFile !== undefined && !host.exists(tokenFile)) {
    r.invalid('KUBE_TOKEN_FILE', 'a readable token file', tokenFile);
  }
  return { ...s, caFile, caData, token, tokenFile };
}

// Reads KUBE_SERVER / KUBE_CA_FILE / KUBE_CA_DATA / KUBE_TOKEN / KUBE_TOKEN_FILE / KUBECONFIG / KUBE_CONTEXT /
// KUBE_TIMEOUT_MS, in that order of precedence: explicit endpoint, kubeconfig, in-cluster service account.
export function readKubeSettings(r: EnvReader, host: ConfigHost): KubeSettings {
  const timeoutMs = r.int('KUBE_TIMEOUT_MS', 5000, 100, 60000);
  const context = r.str('KUBE_CONTEXT');
  const server = r.str('KUBE_SERVER');
  if (server !== undefined) {
    return drop({ ...serverSettings(r, host, server), timeoutMs });
  }
  const explicit = r.str('KUBECONFIG');
  const home = r.str('HOME');
  const fallback =
    home === undefined ? undefined : join(home, '.kube', 'config');
  const kubeconfig = explicit ?? fallback;
  if (explicit !== undefined) {
    const first = explicit.split(':').find((p) => p !== '') ?? '';
    if (!host.exists(first))
      r.invalid('KUBECONFIG', 'an existing kubeconfig file', first);
    return drop({
      auth: 'kubeconfig',
      kubeconfig: explicit,
      context,
      timeoutMs,
    });
  }
  if (kubeconfig !== undefined && host.exists(kubeconfig)) {
    return drop({ auth: 'kubeconfig', kubeconfig, context, timeoutMs });
  }
  if (r.str('KUBERNETES_SERVICE_HOST') && host.exists(SERVICE_ACCOUNT_TOKEN)) {
    return { auth: 'in-cluster', timeoutMs };
  }
  return { auth: 'none', timeoutMs };
}

type Loose = { [K in keyof KubeSettings]?: KubeSettings[K] | undefined };

function drop(obj: Loose & { timeoutMs: number }): KubeSettings {
  return Object.fromEntries(
    Object.entries(obj).filter(([, v]) => v !== undefined)
  ) as unknown as KubeSettings;
}

// RUN_SOURCE: kubernetes when credentials exist (required then), else event, which is warned about
// (and must be explicit when deployed as attestRun).
export function readRunSource(
  r: EnvReader,
  kube: KubeSettings,
  warnings: string[]
): 'kubernetes' | 'event' {
  const hasCreds = kube.auth !== 'none';
  const source = r.oneOf(
    'RUN_SOURCE',
    ['kubernetes', 'event'] as const,
    hasCreds ? 'kubernetes' : 'event'
  );
  // Deployed as attestRun (Cloud Functions sets FUNCTION_TARGET), trusting event bodies is never a default.
  if (
    source === 'event' &&
    r.str('RUN_SOURCE') === undefined &&
    r.str('FUNCTION_TARGET') === 'attestRun'
  ) {
    r.missing(
      'RUN_SOURCE',
      'attestRun is deployed without Kubernetes credentials: set KUBE_SERVER (or KUBECONFIG) with RUN_SOURCE=kubernetes, or RUN_SOURCE=event explicitly to trust event bodies'
    );
  }
  if (source === 'kubernetes' && !hasCreds) {
    r.missing(
      'RUN_SOURCE',
      'kubernetes needs KUBE_SERVER, KUBECONFIG, ~/.kube/config or in-cluster credentials'
    );
  }
  if (source === 'event') {
    warnings.push(
      'RUN_SOURCE=event: runs are taken from CloudEvent bodies without checking the API server (local use only)'
    );
  }
  return source;
}
