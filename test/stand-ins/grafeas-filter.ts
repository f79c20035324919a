// The part of Container Analysis list filtering the Grafeas stand-in models: resourceUrl="…" and kind="…"
// terms joined by AND, and page_size / page_token paging (default 20, at most 1000, as the API documents).

export interface OccurrenceFilter {
  resourceUrl?: string;
  kind?: string;
}

const TERM = /^(resourceUrl|kind)\s*=\s*"([^"]*)"$/;

// The filter's terms, or undefined for anything else (the stand-in answers INVALID_ARGUMENT).
export function parseFilter(filter: string): OccurrenceFilter | undefined {
  const out: OccurrenceFilter = {};
  if (filter.trim() === '') return out;
  for (const part of filter.trim().split(/\s+AND\s+/)) {
    const m = TERM.exec(part.trim());
    if (!m?.[1] || m[2] === undefined) return undefined;
    out[m[1] as keyof OccurrenceFilter] = m[2];
  }
  return out;
}

// resourceUrl is the filter's (legacy) name for the occurrence's resourceUri.
export function matchesFilter(
  f: OccurrenceFilter,
  occ: { resourceUri?: unknown; kind?: unknown }
): boolean {
  return (
    (f.resourceUrl === undefined || occ.resourceUri === f.resourceUrl) &&
    (f.kind === undefined || occ.kind === f.kind)
  );
}

export interface Page<T> {
  shown: T[];
  next: string;
}

// One page from offset page_token; undefined when the size or token is unusable.
export function pageOf<T>(
  items: readonly T[],
  pageSize: number,
  pageToken: string,
  defaultSize: number
): Page<T> | undefined {
  if (pageSize < 0 || !/^\d*$/.test(pageToken)) return undefined;
  const size = Math.min(1000, pageSize === 0 ? defaultSize : pageSize);
  const start = pageToken === '' ? 0 : Number(pageToken);
  if (start > items.length) return undefined;
  const end = start + size;
  return {
    shown: items.slice(start, end),
    next: end < items.length ? String(end) : '',
  };
}
