// Run documents as text (JSON or YAML: CLI inputs and fixtures) into the v1 model; apart from tekton.ts so the
// sink, which only sees parsed JSON, never loads the YAML parser.
import { parseAllDocuments } from 'yaml';
import { EventError } from './errors.js';
import { normaliseRun } from './tekton-normalise.js';
import { isObject } from './tekton-shape.js';
import type { TaskRun, TektonRun } from './types.js';

function malformed(what: string, err: unknown): EventError {
  const detail = err instanceof Error ? err.message.split('\n')[0] : '';
  return new EventError('EVENT_MALFORMED', `expected ${what}, got ${detail}`, {
    cause: err,
  });
}

// Every document in the text: one JSON value, or a YAML stream (aliases capped, errors → EVENT_MALFORMED).
function parseDocuments(text: string): unknown[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return [JSON.parse(trimmed) as unknown];
    } catch (err) {
      throw malformed('valid JSON', err);
    }
  }
  try {
    const docs = parseAllDocuments(text);
    const list = Array.isArray(docs) ? docs : [docs];
    const failed = list.find((d) => d.errors.length > 0);
    if (failed) throw failed.errors[0] as Error;
    return list.map((d) => d.toJS({ maxAliasCount: 100 }) as unknown);
  } catch (err) {
    throw malformed('valid YAML', err);
  }
}

// One TaskRun or PipelineRun from a JSON or YAML text.
export function parseRunDocument(text: string): TektonRun {
  const docs = parseDocuments(text).filter((d) => d !== null);
  if (docs.length !== 1) {
    throw new EventError(
      'EVENT_MALFORMED',
      `expected one run document, got ${docs.length}`
    );
  }
  return normaliseRun(docs[0]);
}

// TaskRuns from a Kubernetes List, a JSON array, a multi-document YAML stream or a single TaskRun.
export function parseTaskRunsDocument(text: string): TaskRun[] {
  const items = parseDocuments(text).flatMap((doc): unknown[] => {
    if (doc === null) return [];
    if (Array.isArray(doc)) return doc;
    if (isObject(doc) && Array.isArray(doc['items'])) return doc['items'];
    return [doc];
  });
  return items.map((item) => {
    const run = normaliseRun(item, 'TaskRun');
    return run as TaskRun;
  });
}
