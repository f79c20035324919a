// One Kubernetes API request with a client-side deadline and a fresh bearer token; failures become coded errors.
import type { ObservableMiddleware } from '@kubernetes/client-node';
import { SourceError } from '../core/errors.js';
import type { KubeRunSourceOptions } from './kube-run-source.js';

// Per-request options of the generated client: our middleware appended to the configured ones.
// The signal is the same deadline again, for the lean reads of kube-rest.ts (which have no middleware).
export type CallOptions = {
  middleware: ObservableMiddleware[];
  middlewareMergeStrategy: 'append';
  signal: AbortSignal;
};

// The HTTP status of a failed call (ApiException.code), if any.
export function kubeStatusOf(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

// Sets the abort signal and a fresh bearer token on every request the call makes.
function requestMiddleware(
  observable: NonNullable<KubeRunSourceOptions['observable']>,
  token: KubeRunSourceOptions['token'],
  signal: AbortSignal
): ObservableMiddleware {
  return {
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
}

// "HTTP <status>" for an API answer, else the first line of the error.
function failureOf(err: unknown): string {
  const status = kubeStatusOf(err);
  if (status !== undefined) return `HTTP ${status}`;
  return err instanceof Error
    ? (err.message.split('\n')[0] ?? '')
    : 'a failure';
}

// Any failure becomes SourceError KUBE_UNAVAILABLE (transient) with the client's error as `cause`.
export async function callKube(
  opts: KubeRunSourceOptions,
  what: string,
  request: (o: CallOptions) => Promise<unknown>
): Promise<unknown> {
  const { timeoutMs, observable, token } = opts;
  const signal = AbortSignal.timeout(timeoutMs);
  // Only the generated client runs middleware (KubeRestApi sets the token and signal itself).
  const middleware = observable
    ? [requestMiddleware(observable, token, signal)]
    : [];
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${timeoutMs} ms`)),
      timeoutMs + 50
    );
  });
  try {
    return await Promise.race([
      request({
        middleware,
        middlewareMergeStrategy: 'append',
        signal,
      }),
      deadline,
    ]);
  } catch (err) {
    throw new SourceError(
      'KUBE_UNAVAILABLE',
      `expected ${what} from the Kubernetes API, got ${failureOf(err)}`,
      { cause: err }
    );
  } finally {
    clearTimeout(timer);
  }
}
