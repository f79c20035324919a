// Test helper: the KMS stand-in plus a client for it, the real gRPC client over an insecure channel or
// our REST client (the production transport) over plain HTTP.
import { KeyManagementServiceClient } from '@google-cloud/kms';
import * as grpc from '@grpc/grpc-js';
import { KmsRestClient } from '../../shared/signers/kms-rest-client.js';
import type { KmsClient } from '../../shared/signers/kms-setup.js';
import {
  startKmsServer,
  type KmsServer,
  type KmsServerOptions,
} from '../stand-ins/kms-server.js';

process.env['METADATA_SERVER_DETECTION'] = 'none';

export type KmsTransport = 'gRPC' | 'REST';
export const KMS_TRANSPORTS: KmsTransport[] = ['gRPC', 'REST'];

export interface KmsFixture {
  server: KmsServer;
  // The client for the chosen transport.
  client: KmsClient;
  // The real gRPC client either way (for calls we do not make in production, such as getCryptoKey).
  grpcClient: KeyManagementServiceClient;
  close(): Promise<void>;
}

// Starts the stand-in and a client for it (gRPC unless told); close() stops both.
export async function startKms(
  opts: KmsServerOptions = {},
  transport: KmsTransport = 'gRPC'
): Promise<KmsFixture> {
  const server = await startKmsServer(opts);
  const grpcClient = new KeyManagementServiceClient({
    apiEndpoint: '127.0.0.1',
    port: server.port,
    sslCreds: grpc.credentials.createInsecure(),
  });
  return {
    server,
    client:
      transport === 'REST' ? new KmsRestClient(server.restUrl) : grpcClient,
    grpcClient,
    close: async () => (await grpcClient.close(), await server.close()),
  };
}
