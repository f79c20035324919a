// Durations in policies (`maxAge: 30d`): a whole number and one unit of s, m, h, d or w.
const UNIT_MS: Readonly<Record<string, number>> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

// Milliseconds for "90m", "12h", "30d"…; undefined for anything else.
export function readDuration(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d{1,9})\s*([smhdw])$/.exec(value.trim());
  if (!match) return undefined;
  const [, count, unit] = match;
  return Number(count) * (UNIT_MS[unit ?? ''] ?? 0);
}

// The inverse for reports: the largest unit that divides exactly ("30d", "90m").
export function formatDuration(ms: number): string {
  const units = Object.entries(UNIT_MS).reverse();
  for (const [unit, size] of units) {
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
