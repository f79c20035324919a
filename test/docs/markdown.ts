// Reads the repository's Markdown as GitHub renders it: headings, their anchors, and relative links.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The repository root (the directory with package.json and examples/), from src or dist.
export function repoRoot(
  dir = dirname(fileURLToPath(import.meta.url))
): string {
  return existsSync(join(dir, 'package.json')) &&
    existsSync(join(dir, 'examples'))
    ? dir
    : repoRoot(dirname(dir));
}

// README.md, CONTRIBUTING.md and every docs/*.md, as paths relative to the root.
export function docFiles(root: string): string[] {
  const docs = readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`);
  return ['README.md', 'CONTRIBUTING.md', ...docs];
}

// The text outside fenced code blocks, one entry per line (code lines become empty).
export function proseLines(text: string): string[] {
  let fenced = false;
  return text.split('\n').map((line) => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      return '';
    }
    return fenced ? '' : line;
  });
}

// GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens.
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

// Every anchor a Markdown file defines, with GitHub's -1, -2 suffixes for repeated headings.
export function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const line of proseLines(text)) {
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const base = slug(m[1]!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

// The targets of inline links and images outside code, except absolute URLs.
export function relativeLinks(text: string): string[] {
  const links: string[] = [];
  for (const line of proseLines(text)) {
    const prose = line.replace(/`[^`]*`/g, '');
    for (const m of prose.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g))
      if (!/^[a-z][a-z0-9+.-]*:/i.test(m[1]!)) links.push(m[1]!);
  }
  return links;
}
