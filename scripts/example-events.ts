// Reads the shipped examples: recorded v1 runs and the CloudEvents Tekton sends for them (headers + body files).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

// A recorded delivery: HTTP headers exactly as in the .headers file, body bytes exactly as in the .json file.
export interface ExampleEvent {
  file: string;
  headers: Record<string, string>;
  body: Buffer;
}

// The example folders under examples/tep-0084 (the pipeline and its inject-miner variant).
export const EXAMPLES = {
  pipeline: 'examples/tep-0084',
  injectMiner: 'examples/tep-0084/inject-miner',
} as const;

function parseHeaders(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return headers;
}

// Every event of an example folder, in file (= delivery) order.
export async function readExampleEvents(dir: string): Promise<ExampleEvent[]> {
  const files = (await readdir(join(dir, 'events')))
    .filter((f) => f.endsWith('.headers'))
    .sort();
  return Promise.all(
    files.map(async (f) => {
      const base = join(dir, 'events', f.replace(/\.headers$/, ''));
      return {
        file: `${base}.json`,
        headers: parseHeaders(await readFile(`${base}.headers`, 'utf8')),
        body: await readFile(`${base}.json`),
      };
    })
  );
}

// The recorded runs as the API server has them: the PipelineRun and its child TaskRuns (a v1 List).
export async function readExampleRuns(dir: string): Promise<{
  pipelineRun: Record<string, unknown>;
  taskRuns: Record<string, unknown>[];
}> {
  const pipelineRun = JSON.parse(
    await readFile(join(dir, 'pipelinerun.json'), 'utf8')
  ) as Record<string, unknown>;
  const list = JSON.parse(
    await readFile(join(dir, 'taskruns.json'), 'utf8')
  ) as { items: Record<string, unknown>[] };
  return { pipelineRun, taskRuns: list.items };
}
