// Builds the configured run source; the Kubernetes client (~0.6 s to import) is loaded only when it is used.
import type { KubeSettings } from '../config-kube.js';
import { EventRunSource } from './event-run-source.js';
import { makeKubeApi } from './kube-api.js';
import { KubeRunSource, type KubeRunSourceOptions } from './kube-run-source.js';
import type { RunSource } from './run-source.js';

// `event` needs nothing; `kubernetes` needs credentials from KubeSettings (see shared/config-kube.ts).
// warn is told when the child LIST stops early (KubeRunSourceOptions.warn).
export async function createRunSource(
  name: 'kubernetes' | 'event',
  kube: KubeSettings,
  warn?: KubeRunSourceOptions['warn']
): Promise<RunSource> {
  if (name === 'event') return new EventRunSource();
  const { runApi, options } = await makeKubeApi(kube);
  return new KubeRunSource(runApi, warn ? { ...options, warn } : options);
}
