// Starts a child serving a function (compiled .js under npm test, .ts through tsx while iterating) and kills it.
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sendTo, type Reply, type Sent } from './harness.js';

export interface Child {
  process: ChildProcess;
  port: number;
  output: string[];
  send: (req: Sent) => Promise<Reply>;
  kill(): Promise<void>;
}

// Spawns test/reliability/<name> with env and resolves once it printed `LISTENING <port>`.
export async function startChild(
  name: string,
  env: Record<string, string>
): Promise<Child> {
  const here = fileURLToPath(import.meta.url);
  const ts = here.endsWith('.ts');
  const child = spawn(
    process.execPath,
    [
      ...(ts ? ['--import', 'tsx'] : []),
      join(dirname(here), `${name}.${ts ? 'ts' : 'js'}`),
    ],
    {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    }
  );
  const output: string[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      output.push(...text.split('\n').filter((l) => l !== ''));
      const m = /LISTENING (\d+)/.exec(text);
      if (m) resolve(Number(m[1]));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (c: Buffer) =>
      output.push(
        ...c
          .toString()
          .split('\n')
          .filter((l) => l !== '')
      )
    );
    child.once('exit', (code) =>
      reject(new Error(`child exited (${code}): ${output.join('\n')}`))
    );
  });
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const send = sendTo(port, agent);
  const kill = () =>
    new Promise<void>((resolve) => {
      agent.destroy();
      if (child.exitCode !== null || child.signalCode !== null)
        return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  return { process: child, port, output, send, kill };
}
