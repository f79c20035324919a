// A minimal HTTP client on node:http (keep-alive), so the client's own cost stays small and constant.
import { Agent, request } from 'node:http';

export interface HttpReply {
  status: number;
  body: Buffer;
}

export const agent = new Agent({ keepAlive: true, maxSockets: 256 });

// One request; rejects on connection errors (e.g. ECONNREFUSED while a child is still starting).
export function send(
  method: 'GET' | 'POST',
  url: string,
  headers: Record<string, string | number> = {},
  body?: Buffer,
  via: Agent | false = agent
): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        agent: via,
        headers: body ? { ...headers, 'content-length': body.length } : headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) })
        );
        res.on('error', reject);
      }
    );
    req.on('error', reject);
    req.end(body);
  });
}

// POSTs a CloudEvent and requires a 200 (anything else is a benchmark failure worth stopping for).
export async function postEvent(
  url: string,
  event: { headers: Record<string, string>; body: Buffer },
  via?: Agent | false
): Promise<HttpReply> {
  const reply = await send('POST', url, event.headers, event.body, via);
  if (reply.status !== 200) {
    throw new Error(
      `expected 200 from the sink, got ${reply.status}: ${reply.body.toString().slice(0, 300)}`
    );
  }
  return reply;
}
