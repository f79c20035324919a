// Settings read by loadConfig that need more than a single typed value: store, signer, formats, reconcile.
import { parseFormat, type Format } from './core/formats.js';
import type { EnvReader } from './config-reader.js';

export interface ReconcileSettings {
  windowSeconds: number;
  // Empty means every namespace.
  namespaces: string[];
  pageSize: number;
  budgetSeconds: number;
}

const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

// FORMATS: a comma list of formats or Chains aliases, de-duplicated, default slsa/v0.2.
export function readFormats(r: EnvReader): Format[] {
  const text = r.str('FORMATS') ?? 'slsa/v0.2';
  const formats: Format[] = [];
  for (const item of text.split(',').filter((f) => f.trim() !== '')) {
    try {
      const format = parseFormat(item);
      if (!formats.includes(format)) formats.push(format);
    } catch {
      r.invalid(
        'FORMATS',
        'a comma list of slsa/v0.2, slsa/v1.0, tekton (or Chains aliases)',
        item
      );
    }
  }
  if (formats.length === 0 && text.trim() !== '')
    r.invalid('FORMATS', 'at least one format', text);
  return formats.length === 0 ? ['slsa/v0.2'] : formats;
}

// RECONCILE_WINDOW / _NAMESPACES / _PAGE_SIZE / _BUDGET_SECONDS.
export function readReconcile(r: EnvReader): ReconcileSettings {
  const namespaces = (r.str('RECONCILE_NAMESPACES') ?? '')
    .split(',')
    .map((ns) => ns.trim())
    .filter((ns) => ns !== '' && ns !== '*' && ns !== 'all');
  for (const ns of namespaces) {
    if (!NAMESPACE.test(ns))
      r.invalid('RECONCILE_NAMESPACES', 'namespace names', ns);
  }
  return {
    windowSeconds: r.durationSeconds('RECONCILE_WINDOW', 86400),
    namespaces,
    pageSize: r.int('RECONCILE_PAGE_SIZE', 500, 1, 10000),
    budgetSeconds: r.int('RECONCILE_BUDGET_SECONDS', 240, 1, 3600),
  };
}

const STORE =
  /^(gs:\/\/[a-z0-9][a-z0-9._-]{1,220}[a-z0-9](\/[^\s]*)?|file:\/\/\S+|[^:\s][^\s]*)$/;
const SIGNER =
  /^(gcpkms:\/\/projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/]+(\/cryptoKeyVersions\/\d+)?|[^:\s][^\s]*)$/;

// STORE: a directory, file://DIR or gs://BUCKET[/PREFIX] (any other scheme is refused); default ./attestations.
export function readStore(r: EnvReader): string {
  const store = r.str('STORE') ?? './attestations';
  const otherScheme =
    /^[a-z][a-z0-9+.-]*:\/\//i.test(store) && !/^(gs|file):\/\//.test(store);
  if (!STORE.test(store) || otherScheme)
    r.invalid(
      'STORE',
      'a directory, file://DIR or gs://BUCKET[/PREFIX]',
      store
    );
  return store;
}

// SIGNER (or EVENT_SIGNER, VSA_SIGNER): a PEM key path or a gcpkms:// key (any other scheme is refused); undefined when unset.
export function readSigner(
  r: EnvReader,
  name: 'SIGNER' | 'EVENT_SIGNER' | 'VSA_SIGNER' = 'SIGNER'
): string | undefined {
  const signer = r.str(name);
  const signerScheme =
    signer !== undefined &&
    /^[a-z][a-z0-9+.-]*:\/\//i.test(signer) &&
    !signer.startsWith('gcpkms://');
  if (signer !== undefined && (!SIGNER.test(signer) || signerScheme)) {
    r.invalid(
      name,
      'a PEM key path or gcpkms://projects/P/locations/L/keyRings/R/cryptoKeys/K[/cryptoKeyVersions/N]',
      signer
    );
  }
  return signer;
}

const TOPIC = /^projects\/[^/\s]+\/topics\/[^/\s]+$/;

// ATTESTED_TOPIC: the Pub/Sub topic of the attested signal, projects/P/topics/T; undefined (off) when unset.
export function readAttestedTopic(r: EnvReader): string | undefined {
  const topic = r.str('ATTESTED_TOPIC');
  if (topic !== undefined && !TOPIC.test(topic))
    r.invalid('ATTESTED_TOPIC', 'a topic projects/P/topics/T', topic);
  return topic;
}
