// The printed table: one row per figure with min / median / max, its goal and whether the median meets it.
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import type { Summary } from './stats.js';

export interface Row {
  figure: string;
  metric: string;
  at: string;
  value: Summary;
  unit: string;
  // Empty: informational; the verdict is then blank.
  goal: string;
  met?: boolean;
  note?: string;
}

const fmt = (n: number): string =>
  !Number.isFinite(n)
    ? '–'
    : Math.abs(n) >= 100
      ? n.toFixed(0)
      : Math.abs(n) >= 10
        ? n.toFixed(1)
        : n.toFixed(2);

const verdict = (r: Row) =>
  r.met === undefined ? '' : r.met ? 'met' : 'NOT MET';

// Fixed-width text table; notes go under their row.
export function renderTable(rows: readonly Row[]): string {
  const head = [
    '#',
    'metric',
    'at',
    'min',
    'median',
    'max',
    'n',
    'unit',
    'goal',
    'verdict',
  ];
  const cells = rows.map((r) => [
    r.figure,
    r.metric,
    r.at,
    fmt(r.value.min),
    fmt(r.value.median),
    fmt(r.value.max),
    String(r.value.n),
    r.unit,
    r.goal,
    verdict(r),
  ]);
  const widths = head.map((h, i) =>
    Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length))
  );
  const line = (c: string[]) =>
    c
      .map((v, i) =>
        i >= 3 && i <= 6 ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0)
      )
      .join('  ')
      .trimEnd();
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('  ')];
  rows.forEach((r, i) => {
    out.push(line(cells[i] ?? []));
    if (r.note) out.push(`${' '.repeat((widths[0] ?? 1) + 2)}↳ ${r.note}`);
  });
  return out.join('\n');
}

// Rows whose goal is missed, for the closing note.
export function missed(rows: readonly Row[]): Row[] {
  return rows.filter((r) => r.met === false);
}

// The machine the figures come from, and its load at that moment.
export function machine() {
  const cpu =
    /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ??
    'unknown';
  return {
    nproc: availableParallelism(),
    cpu,
    node: process.version,
    loadavg: loadavg().map((l) => Number(l.toFixed(2))),
  };
}
