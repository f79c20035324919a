// Child process of the crash and secret tests: the production entry point (functions/index.ts reads the
// environment once and registers every function), served the way functions-framework serves TARGET.
import { getTestServer } from '@google-cloud/functions-framework/testing';
import type { AddressInfo } from 'node:net';
import '../../functions/index.js';

const server = getTestServer(process.env.TARGET ?? 'attestRun');
server.listen(0, '127.0.0.1', () => {
  // The parent waits for this line; the functions' JSON log lines go to stdout/stderr as in Cloud Functions.
  process.stdout.write(`LISTENING ${(server.address() as AddressInfo).port}\n`);
});
