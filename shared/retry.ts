// Retries transient failures with jittered exponential backoff inside one overall deadline.

export interface RetryOptions {
  // Total time budget in ms, attempts included.
  deadlineMs: number;
  // First backoff in ms; doubles per attempt, capped at 2 s.
  baseDelayMs: number;
  isTransient: (err: unknown) => boolean;
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
}

const sleep = (ms: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, ms));

// Runs attempt(remainingMs) until it succeeds, fails permanently, or the deadline leaves no room; rethrows the last error.
export async function retryTransient<T>(
  attempt: (remainingMs: number) => Promise<T>,
  opts: RetryOptions
): Promise<T> {
  const end = Date.now() + opts.deadlineMs;
  for (let n = 1; ; n++) {
    try {
      return await attempt(Math.max(1, end - Date.now()));
    } catch (err) {
      const backoff = Math.min(2000, opts.baseDelayMs * 2 ** (n - 1));
      const delay = Math.round(backoff / 2 + (Math.random() * backoff) / 2);
      if (!opts.isTransient(err) || Date.now() + delay >= end) throw err;
      opts.onRetry?.(err, n, delay);
      await sleep(delay);
    }
  }
}

// Rejects with onTimeout() when work takes longer than ms; the work itself is left to settle.
export async function withTimeout<T>(
  work: Promise<T>,
  ms: number,
  onTimeout: () => Error
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
