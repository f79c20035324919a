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
  // The whole exchange, reply body included: a timeout, or a signal that the caller aborts at its deadline.
  timeoutMs?: number;
  signal?: AbortSignal;
  // Base request options (TLS settings, agent, auth), e.g. from KubeConfig.applyToHTTPSOptions.
  options?: https.RequestOptions;
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
  const signal = req.signal ?? AbortSignal.timeout(req.timeoutMs ?? 10_000);
  return new Promise<HttpReply>((resolve, reject) => {
    const base = req.options ?? {};
    const options = {
      ...base,
      method: req.method,
      headers: { ...(base.headers as Record<string, string>), ...req.headers },
      agent: base.agent ?? (secure ? agents.https : agents.http),
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
      `${req.method} ${url.host}${url.pathname}: no answer ${req.signal ? 'before the deadline' : `within ${req.timeoutMs ?? 10_000} ms`}`,
      { cause: err }
    );
  });
}
