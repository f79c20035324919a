// The safe header allowlist of the trigger-event predicate: GitHub's event metadata, never credentials.
// Header names kept in the predicate (GitHub's spelling); everything else is dropped, never redacted.
export const EVENT_HEADER_ALLOWLIST = [
  'X-GitHub-Event',
  'X-GitHub-Delivery',
  'X-GitHub-Hook-ID',
  'User-Agent',
  'Content-Type',
] as const;
const TARGET_PREFIX = 'x-github-hook-installation-target-';

// Keeps allowlisted headers only, matched case-insensitively; array values are joined as HTTP does.
export function allowedHeaders(
  headers: Readonly<Record<string, unknown>>
): Record<string, string> {
  const kept: [string, string][] = [];
  for (const [name, value] of Object.entries(headers)) {
    const canonical = allowedName(name.toLowerCase());
    const text = headerText(value);
    if (canonical !== undefined && text !== undefined) {
      kept.push([canonical, text]);
    }
  }
  return Object.fromEntries(kept.sort(([a], [b]) => (a < b ? -1 : 1)));
}

function allowedName(lower: string): string | undefined {
  const listed = EVENT_HEADER_ALLOWLIST.find((n) => n.toLowerCase() === lower);
  const suffix = lower.startsWith(TARGET_PREFIX)
    ? lower.slice(TARGET_PREFIX.length)
    : '';
  if (listed !== undefined || !/^[a-z0-9-]{1,40}$/.test(suffix)) return listed;
  const word =
    suffix === 'id'
      ? 'ID'
      : suffix.replace(/(^|-)[a-z]/g, (c) => c.toUpperCase());
  return `X-GitHub-Hook-Installation-Target-${word}`;
}

function headerText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
    return value.length > 0 ? value.join(', ') : undefined;
  }
  return undefined;
}
