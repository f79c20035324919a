// verifyImage's settings: the VSA key and policy, the keys provenance and events are verified with, and the
// Binary Authorization note it attests on (none: VSAs only).
import type { EnvReader } from './config-reader.js';
import { readSigner } from './config-sections.js';

export const DEFAULT_VERIFIER_ID = 'urn:tekton-provenance:verify';

export interface VerifySettings {
  // VSA_SIGNER; undefined: summaries are signed with SIGNER (warned when verifyImage first signs).
  vsaSigner: string | undefined;
  // VSA_POLICY: a policy path or gs://BUCKET/OBJECT, re-read on every request; undefined: verifyImage refuses.
  vsaPolicy: string | undefined;
  // VERIFY_KEYS / VERIFY_EVENT_KEYS: --key / --event-key refs; undefined: the SIGNER / EVENT_SIGNER keys.
  verifyKeys: string[] | undefined;
  verifyEventKeys: string[] | undefined;
  // BINAUTHZ_NOTE: projects/P/notes/N; undefined: no Container Analysis occurrence is written.
  binauthzNote: string | undefined;
  verifierId: string;
  // GRAFEAS_ENDPOINT: host:port of a plaintext Container Analysis stand-in (local tests only).
  grafeasEndpoint: string | undefined;
}

const NOTE =
  /^projects\/[a-z][a-z0-9-]{4,28}[a-z0-9]\/notes\/[A-Za-z0-9_-]{1,100}$/;

function readList(r: EnvReader, name: string): string[] | undefined {
  const text = r.str(name);
  if (text === undefined) return undefined;
  const refs = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (refs.length === 0)
    r.invalid(name, 'a comma list of key references', text);
  return refs;
}

// Reads verifyImage's settings (problems collected in r).
export function readVerifySettings(r: EnvReader): VerifySettings {
  const note = r.str('BINAUTHZ_NOTE');
  if (note !== undefined && !NOTE.test(note))
    r.invalid('BINAUTHZ_NOTE', 'projects/PROJECT/notes/NOTE', note);
  const verifierId = r.str('VERIFIER_ID') ?? DEFAULT_VERIFIER_ID;
  if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(verifierId))
    r.invalid('VERIFIER_ID', 'an absolute URI', verifierId);
  const grafeas = r.str('GRAFEAS_ENDPOINT');
  if (grafeas !== undefined && !/^[\w.-]+:\d{1,5}$/.test(grafeas))
    r.invalid('GRAFEAS_ENDPOINT', 'host:port', grafeas);
  return {
    vsaSigner: readSigner(r, 'VSA_SIGNER'),
    vsaPolicy: r.str('VSA_POLICY'),
    verifyKeys: readList(r, 'VERIFY_KEYS'),
    verifyEventKeys: readList(r, 'VERIFY_EVENT_KEYS'),
    binauthzNote: note,
    verifierId,
    grafeasEndpoint: grafeas,
  };
}
