// The Container Analysis (Grafeas v1) client: built lazily, against the real API or a plaintext stand-in.
import { createRequire } from 'node:module';
import type { GrafeasClient } from '@google-cloud/grafeas';

// The calls ensureAttestationOccurrence makes; tests pass the real client pointed at the gRPC stand-in.
export type GrafeasLike = Pick<
  GrafeasClient,
  'listNoteOccurrences' | 'createOccurrence'
>;

type ChannelCredentials = NonNullable<
  NonNullable<ConstructorParameters<typeof GrafeasClient>[0]>['sslCreds']
>;

// What @google-cloud/containeranalysis's getGrafeasClient() hands the Grafeas client: the Container
// Analysis host and port, and (GrafeasClient declares no scopes of its own) the cloud-platform scope.
export const CONTAINER_ANALYSIS = {
  servicePath: 'containeranalysis.googleapis.com',
  port: 443,
  scopes: ['https://www.googleapis.com/auth/cloud-platform'],
} as const;

export interface GrafeasClientOpts {
  // host:port of a plaintext Grafeas gRPC stand-in (tests and local runs only).
  endpoint?: string;
}

// What createGrafeasClient gives: the calls above, and close() for whoever built it.
export type GrafeasHandle = GrafeasLike & Pick<GrafeasClient, 'close'>;

let defaultClient: Promise<GrafeasHandle> | undefined;

// An insecure channel needs grpc-js credentials from the instance the Grafeas client's google-gax uses.
function insecureCredentials(): ChannelCredentials {
  const grafeasRequire = createRequire(
    createRequire(import.meta.url).resolve('@google-cloud/grafeas')
  );
  const gax = grafeasRequire('google-gax') as {
    grpc: {
      credentials: { createInsecure(): ChannelCredentials };
    };
  };
  return gax.grpc.credentials.createInsecure();
}

async function standInClient(endpoint: string): Promise<GrafeasClient> {
  const { GrafeasClient } = await import('@google-cloud/grafeas');
  const port = Number(endpoint.split(':').pop());
  return new GrafeasClient({
    apiEndpoint: endpoint.replace(/:\d+$/, ''),
    port,
    sslCreds: insecureCredentials(),
  });
}

// Loads @google-cloud/grafeas only on first use (cold start); the production client is built once.
export async function createGrafeasClient(
  opts: GrafeasClientOpts = {}
): Promise<GrafeasHandle> {
  if (opts.endpoint) return standInClient(opts.endpoint);
  defaultClient ??= import('@google-cloud/grafeas').then(
    ({ GrafeasClient }) =>
      new GrafeasClient({
        ...CONTAINER_ANALYSIS,
        scopes: [...CONTAINER_ANALYSIS.scopes],
      })
  );
  return defaultClient;
}
