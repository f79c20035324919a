// The chain as a diagram: Mermaid (renders in GitHub/GitLab Markdown) or Graphviz dot.
// event → PipelineRun → tasks (edges from `after`; tasks without one hang off the run) → image.
import type { RunReport, VerifyReport } from './report.js';

export const GRAPH_FORMATS = ['mermaid', 'dot'] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

export function isGraphFormat(v: unknown): v is GraphFormat {
  return (
    typeof v === 'string' && (GRAPH_FORMATS as readonly string[]).includes(v)
  );
}

interface Node {
  id: string;
  label: string;
  bad: boolean;
}
interface Graph {
  nodes: Node[];
  edges: [string, string][];
}

const shortHex = (d: string): string =>
  d.replace(/^sha256:([0-9a-f]{12}).*$/, 'sha256:$1');

function addRun(g: Graph, run: RunReport, r: number, image: string): void {
  const runId = `run${r}`;
  g.nodes.push({
    id: runId,
    label: `${run.kind} ${run.name ?? run.uid}`,
    bad: false,
  });
  if (run.event) {
    g.nodes.push({
      id: `ev${r}`,
      label:
        `event ${run.event.eventId ?? ''} ${run.event.eventType ?? ''}`.trim(),
      bad: !run.event.verified,
    });
    g.edges.push([`ev${r}`, runId]);
  }
  const ids = new Map(run.tasks.map((t, i) => [t.name, `run${r}t${i}`]));
  run.tasks.forEach((t, i) => {
    const id = `run${r}t${i}`;
    g.nodes.push({
      id,
      label: `${t.name}${t.status ? ` (${t.status})` : ''}${t.trusted === false ? ' UNTRUSTED' : ''}`,
      bad: t.trusted === false,
    });
    const parents = t.after
      .map((a) => ids.get(a))
      .filter((x): x is string => x !== undefined);
    for (const p of parents.length > 0 ? parents : [runId])
      g.edges.push([p, id]);
  });
  g.edges.push([runId, image]);
}

function build(report: VerifyReport): Graph {
  const g: Graph = {
    nodes: [
      {
        id: 'image',
        label: `${report.subjectNames[0] ?? 'subject'} ${shortHex(report.digest)}`,
        bad: !report.passed,
      },
    ],
    edges: [],
  };
  report.runs.forEach((run, r) => addRun(g, run, r, 'image'));
  report.events.forEach((e, i) => {
    g.nodes.push({
      id: `event${i}`,
      label: `event ${e.eventId ?? ''}`.trim(),
      bad: !e.verified,
    });
    g.edges.push([`event${i}`, 'image']);
  });
  return g;
}

const quote = (s: string): string => s.replace(/["\\]/g, "'");

function mermaid(g: Graph): string {
  const lines = [
    'flowchart LR',
    ...g.nodes.map((n) => `  ${n.id}["${quote(n.label)}"]`),
    ...g.edges.map(([a, b]) => `  ${a} --> ${b}`),
  ];
  const bad = g.nodes.filter((n) => n.bad).map((n) => n.id);
  if (bad.length > 0)
    lines.push(
      '  classDef failed fill:#fdd,stroke:#c00',
      `  class ${bad.join(',')} failed`
    );
  return `${lines.join('\n')}\n`;
}

function dot(g: Graph): string {
  const node = (n: Node) =>
    `  ${n.id} [label="${quote(n.label)}"${n.bad ? ', color=red, fontcolor=red' : ''}];`;
  const lines = [
    'digraph provenance {',
    '  rankdir=LR;',
    '  node [shape=box];',
    ...g.nodes.map(node),
    ...g.edges.map(([a, b]) => `  ${a} -> ${b};`),
    '}',
  ];
  return `${lines.join('\n')}\n`;
}

// The diagram text for a report.
export function renderGraph(report: VerifyReport, format: GraphFormat): string {
  const g = build(report);
  return format === 'mermaid' ? mermaid(g) : dot(g);
}
