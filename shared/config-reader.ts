// Typed reads of environment variables that collect every problem instead of stopping at the first.
import { ConfigError } from './core/errors.js';

const DURATION = /^(\d+)(s|m|h|d)?$/;
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

// "90", "90s", "15m", "24h", "2d" → seconds; undefined when the text is not a duration.
export function parseDurationSeconds(text: string): number | undefined {
  const m = DURATION.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * (UNIT_SECONDS[m[2] ?? 's'] ?? 1);
}

// Reads one environment once; problems name the variable and say "expected X, got Y" (never the value of a secret).
export class EnvReader {
  readonly problems: string[] = [];
  private missingOnly = true;

  constructor(readonly env: NodeJS.ProcessEnv) {}

  // The trimmed value, or undefined when unset or empty.
  str(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  invalid(name: string, expected: string, got?: string): void {
    this.missingOnly = false;
    const shown =
      got === undefined ? '' : `, got ${JSON.stringify(got.slice(0, 80))}`;
    this.problems.push(`${name}: expected ${expected}${shown}`);
  }

  missing(name: string, why: string): void {
    this.problems.push(`${name}: missing (${why})`);
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const text = this.str(name);
    if (text === undefined) return fallback;
    const n = /^\d+$/.test(text) ? Number(text) : NaN;
    if (Number.isSafeInteger(n) && n >= min && n <= max) return n;
    this.invalid(name, `an integer from ${min} to ${max}`, text);
    return fallback;
  }

  bool(name: string, fallback: boolean): boolean {
    const text = this.str(name)?.toLowerCase();
    if (text === undefined) return fallback;
    if (text === 'true' || text === '1') return true;
    if (text === 'false' || text === '0') return false;
    this.invalid(name, 'true or false', text);
    return fallback;
  }

  oneOf<T extends string>(name: string, values: readonly T[], fallback: T): T {
    const text = this.str(name);
    if (text === undefined) return fallback;
    if ((values as readonly string[]).includes(text)) return text as T;
    this.invalid(name, `one of ${values.join(', ')}`, text);
    return fallback;
  }

  durationSeconds(name: string, fallback: number): number {
    const text = this.str(name);
    if (text === undefined) return fallback;
    const seconds = parseDurationSeconds(text);
    if (seconds !== undefined && seconds > 0) return seconds;
    this.invalid(name, 'a positive duration such as 90s, 15m, 24h or 2d', text);
    return fallback;
  }

  // Throws one ConfigError listing every problem, if there is any.
  check(): void {
    if (this.problems.length === 0) return;
    const n = this.problems.length;
    throw new ConfigError(
      this.missingOnly ? 'CONFIG_MISSING' : 'CONFIG_INVALID',
      `${n} configuration problem${n === 1 ? '' : 's'}: ${this.problems.join('; ')}`
    );
  }
}
