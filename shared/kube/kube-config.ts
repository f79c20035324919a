// The KubeConfig for KubeSettings, built by @kubernetes/client-node; imported from its own module (not the
// package index), so the bundle's chunk for it leaves out the generated API (kube-objects-api.ts has that;
// scripts/deploy-trim.ts narrows config.js's one import of it).
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import type { KubeSettings } from '../config-kube.js';
import { ConfigError } from '../core/errors.js';

// Explicit endpoint, kubeconfig, or in-cluster account; the endpoint's bearer token is kube-api.ts's.
export function loadKubeConfig(kube: KubeSettings): KubeConfig {
  const kc = new KubeConfig();
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
  return kc;
}
