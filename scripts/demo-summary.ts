// Readable summary of a stored PipelineRun attestation: tasks in start order with their `after` edges, subjects.
import { decodePayload } from '../shared/core/dsse.js';
import type { Envelope } from '../shared/core/types.js';

interface V02Task {
  name: string;
  after?: string[];
  status?: string;
  ref?: { name?: string; kind?: string; bundle?: string; resolver?: string };
  startedOn?: string;
}

interface V02Statement {
  subject?: { name: string; digest: Record<string, string> }[];
  predicate: {
    buildType: string;
    invocation?: { configSource?: { uri?: string; entryPoint?: string } };
    buildConfig?: { tasks?: V02Task[] };
    materials?: { uri: string; digest?: Record<string, string> }[];
  };
}

function refText(ref: V02Task['ref']): string {
  if (!ref || (!ref.name && !ref.bundle && !ref.resolver))
    return 'inline taskSpec';
  if (ref.bundle) return `bundle ${ref.bundle}`;
  if (ref.resolver) return `${ref.resolver} resolver`;
  return `${ref.kind ?? 'Task'} ${ref.name ?? '?'}`;
}

// Lines describing a slsa/v0.2 PipelineRun statement (TEP-0084 layout).
export function summariseStatement(envelope: Envelope): string[] {
  const s = JSON.parse(decodePayload(envelope).toString()) as V02Statement;
  const lines = [`buildType ${s.predicate.buildType}`];
  const source = s.predicate.invocation?.configSource;
  if (source?.uri)
    lines.push(`pipeline  ${source.uri} ${source.entryPoint ?? ''}`.trimEnd());
  lines.push('tasks (in start order):');
  for (const [i, t] of (s.predicate.buildConfig?.tasks ?? []).entries()) {
    const after =
      t.after && t.after.length > 0 ? ` after ${t.after.join(', ')}` : '';
    lines.push(
      `  ${i + 1}. ${t.name.padEnd(14)} ${(t.status ?? '').padEnd(9)} ${refText(t.ref)}${after}`
    );
  }
  lines.push('subjects:');
  for (const subject of s.subject ?? []) {
    lines.push(`  ${subject.name} sha256:${subject.digest.sha256 ?? '?'}`);
  }
  const trigger = (s.predicate.materials ?? []).filter(
    (m) => m.uri.startsWith('events/') || m.uri.includes('triggers')
  );
  lines.push(
    `materials: ${(s.predicate.materials ?? []).length}${trigger.length > 0 ? ` (trigger event ${trigger[0]!.uri})` : ''}`
  );
  return lines;
}
