// The run source's two reads (GET one object, LIST TaskRuns by label) over node:http(s) and JSON.parse, with
// the KubeConfig's server, TLS settings and credentials applied by @kubernetes/client-node itself
// (applyToHTTPSOptions). The generated client's fetch wrapper and serializer cost more per event than the
// rest of the request path (docs/benchmark.md); timeouts, tokens and error mapping stay in kube-call.ts.
import http from 'node:http';
import https, { type RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { httpRequest } from '../http/request.js';
import type { CallOptions } from './kube-call.js';
import type {
  KubeApi,
  KubeListParams,
  KubeObjectParams,
} from './kube-run-source.js';

// A non-2xx answer; `code` is the HTTP status, as on the generated client's ApiException.
export class KubeHttpError extends Error {
  constructor(
    readonly code: number,
    readonly body: string
  ) {
    super(`HTTP ${code}: ${body.slice(0, 200)}`);
  }
}

// Each segment encoded, as the generated client does, so no name can reach another path.
function collection(p: KubeListParams): string {
  const seg = [p.group, p.version, 'namespaces', p.namespace, p.plural];
  return `/apis/${seg.map(encodeURIComponent).join('/')}`;
}

type AgentWithOptions = http.Agent & { options?: Record<string, unknown> };

// applyToHTTPSOptions builds a new Agent for every request, without keep-alive: a TCP (and TLS) handshake
// per GET. A plain Agent's options are kept on one keep-alive Agent instead, rebuilt when they change
// (a rotated CA or client certificate); proxy agents are used as the client built them.
class KubeAgents {
  private cached?: { key: string; agent: http.Agent };

  reuse(agent: unknown): unknown {
    const plain = agent as AgentWithOptions | undefined;
    const ctor = plain?.constructor;
    if (!plain?.options || (ctor !== http.Agent && ctor !== https.Agent))
      return agent;
    const key = `${ctor === https.Agent ? 'https' : 'http'} ${JSON.stringify(plain.options)}`;
    if (this.cached?.key !== key) {
      this.cached?.agent.destroy();
      const options = { ...plain.options, keepAlive: true };
      const fresh =
        ctor === https.Agent
          ? new https.Agent(options)
          : new http.Agent(options);
      this.cached = { key, agent: fresh };
    }
    return this.cached.agent;
  }
}

export class KubeRestApi implements KubeApi {
  private readonly agents = new KubeAgents();

  constructor(
    private readonly kc: KubeConfig,
    // A bearer token for each request (KUBE_TOKEN, a token file or Google ADC); else the kubeconfig's.
    private readonly token?: () => Promise<string>
  ) {}

  getNamespacedCustomObject(p: KubeObjectParams, o: CallOptions) {
    const path = `${collection(p)}/${encodeURIComponent(p.name)}`;
    return this.get(path, {}, o);
  }

  listNamespacedCustomObject(p: KubeListParams, o: CallOptions) {
    const path = collection(p);
    const query = {
      labelSelector: p.labelSelector,
      limit: p.limit,
      continue: p._continue,
    };
    return this.get(path, query, o);
  }

  private async get(
    path: string,
    query: Record<string, string | number | undefined>,
    o: CallOptions
  ): Promise<unknown> {
    const server = this.kc.getCurrentCluster()?.server;
    if (!server) throw new Error('the kubeconfig names no current cluster');
    const url = new URL(`${server.replace(/\/+$/, '')}${path}`);
    for (const [k, v] of Object.entries(query))
      if (v !== undefined) url.searchParams.set(k, String(v));
    const opts: RequestOptions = { headers: { accept: 'application/json' } };
    await this.kc.applyToHTTPSOptions(opts);
    opts.agent = this.agents.reuse(opts.agent) as RequestOptions['agent'];
    const headers = this.token
      ? { authorization: `Bearer ${await this.token()}` }
      : {};
    // opts carries the agent the generated client would use (TLS settings, any proxy), kept alive.
    const reply = await httpRequest(url, {
      method: 'GET',
      headers,
      options: opts,
      signal: o.signal,
    });
    const body = reply.body.toString();
    if (reply.status < 200 || reply.status > 299)
      throw new KubeHttpError(reply.status, body);
    return JSON.parse(body) as unknown;
  }
}
