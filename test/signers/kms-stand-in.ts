// Test helper: the KMS stand-in plus the real client pointed at it over insecure gRPC.
import { KeyManagementServiceClient } from '@google-cloud/kms';
import * as grpc from '@grpc/grpc-js';
import {
  startKmsServer,
  type KmsServer,
  type KmsServerOptions,
} from '../stand-ins/kms-server.js';

process.env['METADATA_SERVER_DETECTION'] = 'none';

export interface KmsFixture {
  server: KmsServer;
  client: KeyManagementServiceClient;
  close(): Promise<void>;
}

// Starts the stand-in and a client for it; close() stops both.
export async function startKms(
  opts: KmsServerOptions = {}
): Promise<KmsFixture> {
  const server = await startKmsServer(opts);
  const client = new KeyManagementServiceClient({
    apiEndpoint: '127.0.0.1',
    port: server.port,
    sslCreds: grpc.credentials.createInsecure(),
  });
  return {
    server,
    client,
    close: async () => (await client.close(), await server.close()),
  };
}
