// The readable report: subject, the chain event → PipelineRun → tasks (execution order, `after` edges,
// status, references), then every check with PASS/FAIL and exactly what failed.
import type {
  EventReport,
  RunReport,
  TaskReport,
  VerifyReport,
} from './report.js';

const short = (digest: string): string =>
  digest.replace(/^(sha256:[0-9a-f]{12})[0-9a-f]+$/, '$1…');

function eventLine(e: EventReport): string {
  const type =
    e.eventType && e.unauthenticated?.includes('eventType')
      ? `${e.eventType} [unauthenticated header]`
      : e.eventType;
  const what = [type, e.authentication].filter(Boolean).join(', ');
  return `event ${e.eventId ?? e.key ?? '?'} ${short(e.digest)}${what ? ` (${what})` : ''} ${e.verified ? '[verified]' : '[NOT VERIFIED]'}`;
}

function taskLines(tasks: TaskReport[]): string[] {
  return tasks.flatMap((t, i) => {
    const verdict =
      t.trusted === undefined
        ? ''
        : t.trusted
          ? '  trusted'
          : `  UNTRUSTED: ${t.reason ?? ''}`;
    const lines = [
      `     ${i + 1}. ${t.name}  ${t.status ?? 'status unknown'}${verdict}`,
      `          ref    ${t.ref}`,
    ];
    if (t.declaredRef)
      lines.push(`          declared ${t.declaredRef} (TASK_REF_MISMATCH)`);
    if (t.after.length > 0)
      lines.push(`          after  ${t.after.join(', ')}`);
    if (t.source) lines.push(`          source ${t.source}`);
    return lines;
  });
}

function runLines(run: RunReport): string[] {
  const where = run.namespace ? `${run.namespace}/` : '';
  const head = `${run.kind} ${where}${run.name ? `${run.name} ` : ''}${run.uid} [${run.formats.join(', ')}]${run.ignored ? ` IGNORED: ${run.ignored}` : ''}`;
  const meta = [
    run.ref && `ref ${run.ref}`,
    run.partOf && `part of PipelineRun ${run.partOf}`,
    run.status && `status ${run.status}`,
    run.builderId && `builder ${run.builderId}`,
    run.finishedOn && `finished ${run.finishedOn}`,
  ]
    .filter(Boolean)
    .join(', ');
  const lines = run.event
    ? [`  ${eventLine(run.event)}`, `  └─▶ ${head}`]
    : [`  ${head}`];
  if (meta) lines.push(`      ${meta}`);
  if (run.tasks.length > 0)
    lines.push('      tasks (execution order):', ...taskLines(run.tasks));
  return lines;
}

// Plain text, one line per fact; failures are also on stderr (cli) or in the JSON.
export function renderText(report: VerifyReport): string {
  const failed = report.checks.filter((c) => !c.passed).length;
  const lines = [
    `subject ${report.digest}${report.subjectNames.length ? ` (${report.subjectNames.join(', ')})` : ''}`,
    `result  ${report.passed ? 'PASSED' : 'FAILED'}: ${report.checks.length - failed} passed, ${failed} failed`,
    '',
    'chain',
    ...report.events.map((e) => `  ${eventLine(e)}`),
    ...report.runs.flatMap(runLines),
    ...(report.runs.length + report.events.length === 0
      ? [
          report.vsa?.key && report.attestations.length === 0
            ? `  (judged by the verification summary ${report.vsa.key}, policy ${report.vsa.policyDigest})`
            : '  (nothing verified)',
        ]
      : []),
    '',
    'checks',
    ...report.checks.map((c) =>
      c.passed
        ? `  PASS ${c.check} ${c.target}: ${c.message}`
        : `  FAIL ${c.code ?? ''} ${c.check} ${c.target}: ${c.message}`
    ),
  ];
  return `${lines.join('\n')}\n`;
}
