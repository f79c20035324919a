// Parent side of the stand-ins process: start it, send it requests, read its counters.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type {
  StandInCounters,
  StandInInfo,
  StandInOp,
} from './stand-ins-proc.js';

export { KUBE_TOKEN } from './stand-ins-proc.js';
export type { StandInCounters, StandInInfo };

export interface StandIns extends StandInInfo {
  pid: number;
  call<T = unknown>(op: StandInOp): Promise<T>;
  counters(): Promise<StandInCounters>;
  close(): Promise<void>;
}

type Reply = {
  id: number;
  value?: unknown;
  error?: string;
  ready?: StandInInfo;
};

// Forks dist/bench/stand-ins-proc.js and waits until its three servers listen.
export async function startStandIns(): Promise<StandIns> {
  const child: ChildProcess = fork(
    fileURLToPath(new URL('./stand-ins-proc.js', import.meta.url)),
    [],
    {
      env: { ...process.env, METADATA_SERVER_DETECTION: 'none' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }
  );
  const pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void }
  >();
  let seq = 0;
  const info = await new Promise<StandInInfo>((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`stand-ins exited with ${String(code)}`))
    );
    child.on('message', (m: Reply) => {
      if (m.ready) return resolve(m.ready);
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.error !== undefined) p?.reject(new Error(`stand-ins: ${m.error}`));
      else p?.resolve(m.value);
    });
  });
  const call = <T>(op: StandInOp) =>
    new Promise<T>((resolve, reject) => {
      const id = ++seq;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, ...op });
    });
  return {
    ...info,
    pid: child.pid ?? 0,
    call,
    counters: () => call<StandInCounters>({ op: 'counters' }),
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  };
}
