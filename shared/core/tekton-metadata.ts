// Run metadata as the model needs it: uid, name and namespace required (ProvenanceError RUN_INVALID),
// labels and annotations as string maps (default {}), other fields kept.
import { ProvenanceError } from './errors.js';
import { isObject } from './tekton-shape.js';
import type { ObjectMeta } from './types.js';

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(value)) return out;
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string') out[k] = v;
  }
  return out;
}

// metadata with the uid, name and namespace every run needs; labels and annotations default to {}.
export function normaliseMetadata(value: unknown): ObjectMeta {
  const meta = isObject(value) ? value : {};
  const missing = ['uid', 'name', 'namespace'].filter(
    (k) => typeof meta[k] !== 'string' || meta[k] === ''
  );
  if (missing.length > 0) {
    const names = missing.map((k) => `metadata.${k}`).join(', ');
    throw new ProvenanceError('RUN_INVALID', `expected ${names}, got none`);
  }
  return {
    ...meta,
    name: meta['name'] as string,
    namespace: meta['namespace'] as string,
    uid: meta['uid'] as string,
    labels: stringMap(meta['labels']),
    annotations: stringMap(meta['annotations']),
  };
}
