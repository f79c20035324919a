// One Kubernetes API request with a client-side deadline and a fresh bearer token; failures become coded errors.
import type { ObservableMiddleware } from '@kubernetes/client-node';
import { SourceError } from '../core/errors.js';
import type { KubeRunSourceOptions } from './kube-run-source.js';

// Per-request options of the generated client: our middleware appended to the configured ones.
export type CallOptions = {
  middleware: ObservableMiddleware[];
  middlewareMergeStrategy: 'append';
};

// The HTTP status of a failed call (ApiException.code), if any.
export function kubeStatusOf(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

// Any failure becomes SourceError KUBE_UNAVAILABLE (transient) with the client's error as `cause`.
export async function callKube(
  opts: KubeRunSourceOptions,
  what: string,
  request: (o: CallOptions) => Promise<unknown>
): Promise<unknown> {
  const { token, observable, timeoutMs } = opts;
  const signal = AbortSignal.timeout(timeoutMs);
  const middleware: ObservableMiddleware = {
    pre: (ctx) =>
      observable(
        (async () => {
          ctx.setSignal(signal);
          if (token)
            ctx.setHeaderParam('Authorization', `Bearer ${await token()}`);
          return ctx;
        })()
      ),
    post: (ctx) => observable(Promise.resolve(ctx)),
  };
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${timeoutMs} ms`)),
      timeoutMs + 50
    );
  });
  try {
    return await Promise.race([
      request({ middleware: [middleware], middlewareMergeStrategy: 'append' }),
      deadline,
    ]);
  } catch (err) {
    const status = kubeStatusOf(err);
    const got =
      status !== undefined
        ? `HTTP ${status}`
        : err instanceof Error
          ? err.message.split('\n')[0]
          : 'a failure';
    throw new SourceError(
      'KUBE_UNAVAILABLE',
      `expected ${what} from the Kubernetes API, got ${got}`,
      { cause: err }
    );
  } finally {
    clearTimeout(timer);
  }
}
