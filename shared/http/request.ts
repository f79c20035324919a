// One HTTP(S) request on a keep-alive agent, bounded by a timeout; the lean call paths to Google APIs (KMS,
// GCS) use it so the first event loads neither google-gax, grpc-js nor @google-cloud/storage.
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';

export interface HttpReply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: Buffer | string;
  // The whole exchange, reply body included.
  timeoutMs: number;
}

// No reply within the timeout; `code` is the one the GCS retry classes and the KMS mapping already know.
export class HttpTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
}

const agents = {
  http: new http.Agent({ keepAlive: true }),
  https: new https.Agent({ keepAlive: true }),
};

// Resolves with any status; rejects with Node's own error (code ECONNRESET, ECONNREFUSED, …) or HttpTimeoutError.
export function httpRequest(url: URL, req: HttpRequest): Promise<HttpReply> {
  const secure = url.protocol === 'https:';
  const signal = AbortSignal.timeout(req.timeoutMs);
  return new Promise<HttpReply>((resolve, reject) => {
    const options = {
      method: req.method,
      headers: req.headers ?? {},
      agent: secure ? agents.https : agents.http,
      signal,
    };
    const onReply = (res: http.IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks),
        })
      );
    };
    const request = secure
      ? https.request(url, options, onReply)
      : http.request(url, options, onReply);
    request.on('error', reject);
    request.end(req.body);
  }).catch((err: unknown) => {
    if (!signal.aborted) throw err;
    throw new HttpTimeoutError(
      `${req.method} ${url.host}${url.pathname}: no answer within ${req.timeoutMs} ms`,
      { cause: err }
    );
  });
}
