// Reads RUN (a file, or "-" for stdin) and --taskruns (a file or a directory of JSON/YAML files,
// read in name order) into a RunInput; shared by `statement` and `attest`.
import { readdir, readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from '../shared/core/errors.js';
import { makeRunInput } from '../shared/core/tekton.js';
import {
  parseRunDocument,
  parseTaskRunsDocument,
} from '../shared/core/tekton-documents.js';
import type { RunInput, TaskRun } from '../shared/core/types.js';

const DOCUMENT = /\.(json|ya?ml)$/i;

// Parses and validates the run and its children; input problems throw coded errors (exit 2).
export async function readRunInput(
  runPath: string,
  taskRunsPath: string | undefined,
  cwd: string,
  readStdin: () => Promise<string> = readProcessStdin
): Promise<RunInput> {
  const text =
    runPath === '-' ? await readStdin() : await readText(resolve(cwd, runPath));
  const run = parseRunDocument(text);
  const taskRuns =
    taskRunsPath === undefined
      ? []
      : await readTaskRuns(resolve(cwd, taskRunsPath));
  return makeRunInput(run, taskRuns);
}

// One stderr line per TaskRun given with --taskruns that is not a child of the PipelineRun: it is left
// out of the statement (only childReferences + ownerReference make a child), which the user should know.
export function warnIgnored(input: RunInput, stderr: (text: string) => void) {
  for (const i of input.ignored ?? []) {
    stderr(
      `warning: TaskRun ${i.namespace}/${i.name} is not a child of ${input.run.metadata.name} (${i.reason}); left out\n`
    );
  }
}

async function readTaskRuns(path: string): Promise<TaskRun[]> {
  const info = await stat(path).catch((err: unknown) => {
    throw unreadable(path, err);
  });
  if (!info.isDirectory()) return parseTaskRunsDocument(await readText(path));
  const names = (await readdir(path)).filter((n) => DOCUMENT.test(n)).sort();
  const lists = await Promise.all(
    names.map(async (n) =>
      parseTaskRunsDocument(await readText(resolve(path, n)))
    )
  );
  return lists.flat();
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw unreadable(path, err);
  }
}

function unreadable(path: string, err: unknown): UsageError {
  const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
  return new UsageError('USAGE', `cannot read ${path}: ${code}`, {
    cause: err,
  });
}

async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
