// Runs the tekton-provenance CLI in process, as bin/main would, capturing what it prints.
import type { CliIo } from '../../cli/io.js';

// What one CLI invocation printed and its exit code.
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

// `tekton-provenance argv…` in cwd with exactly env (nothing from process.env).
export async function runCli(
  argv: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {}
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env,
    cwd,
  };
  // Imported lazily: cli/main.ts has a top-level await, which the CommonJS test loader cannot take.
  const { main } = await import('../../cli/main.js');
  const code = await main(argv, io);
  return { code, stdout, stderr };
}
