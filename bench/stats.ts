// Repeated measurements summarised as min / median / max, so noise stays visible.

export interface Summary {
  min: number;
  median: number;
  max: number;
  n: number;
}

// min/median/max of the samples (median of an even count: mean of the middle two).
export function summarise(samples: readonly number[]): Summary {
  if (samples.length === 0) return { min: NaN, median: NaN, max: NaN, n: 0 };
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median =
    s.length % 2 === 1
      ? (s[mid] ?? NaN)
      : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
  return { min: s[0] ?? NaN, median, max: s[s.length - 1] ?? NaN, n: s.length };
}

// Every value of a summary divided by a constant (e.g. latency samples ÷ the floor's median).
export function scale(s: Summary, divisor: number): Summary {
  return {
    min: s.min / divisor,
    median: s.median / divisor,
    max: s.max / divisor,
    n: s.n,
  };
}

// A single figure as a summary of one sample.
export function one(value: number): Summary {
  return { min: value, median: value, max: value, n: 1 };
}

// Milliseconds since an arbitrary origin, sub-millisecond resolution.
export const now = (): number => performance.now();

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));
