// Property test over generated pipelines (fixed seed): every executed TaskRun appears exactly once,
// `after` names only tasks present, and entries follow start time.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildSlsaV02 } from '../../shared/core/slsa-v02.js';
import type { PipelineTask } from '../../shared/core/types.js';
import { childTaskRun, input, pipelineRun } from './run-builders.js';

interface GenTask {
  runAfter: number[];
  runs: number[]; // start offsets in seconds; empty = skipped
  refersTo: number[];
}

const genTask = fc.record({
  runAfter: fc.uniqueArray(fc.nat(9), { maxLength: 3 }),
  runs: fc.uniqueArray(fc.nat(3599), { maxLength: 3 }),
  refersTo: fc.uniqueArray(fc.nat(9), { maxLength: 2 }),
});

const pipelineArb = fc.record({
  tasks: fc.array(genTask, { minLength: 1, maxLength: 10 }),
  finallyTasks: fc.array(genTask, { maxLength: 2 }),
});

function toPipelineTask(
  prefix: string,
  i: number,
  g: GenTask,
  known: number
): PipelineTask {
  const earlier = (list: number[]) =>
    list.filter((j) => j < known && j !== i).map((j) => `t${j}`);
  return {
    name: `${prefix}${i}`,
    runAfter: earlier(g.runAfter),
    params: earlier(g.refersTo).map((n, k) => ({
      name: `p${k}`,
      value: `$(tasks.${n}.results.out)`,
    })),
  };
}

const time = (s: number) =>
  new Date(Date.UTC(2024, 0, 1, 0, 0, s)).toISOString().replace('.000Z', 'Z');

describe('SLSA v0.2 buildConfig.tasks property', () => {
  it('executed tasks once, after ⊆ present, sorted by start time', () => {
    fc.assert(
      fc.property(pipelineArb, ({ tasks, finallyTasks }) => {
        const specTasks = tasks.map((g, i) => toPipelineTask('t', i, g, i));
        const specFinally = finallyTasks.map((g, i) =>
          toPipelineTask('f', i, g, tasks.length)
        );
        const all = [
          ...tasks.map((g, i) => [`t${i}`, g] as const),
          ...finallyTasks.map((g, i) => [`f${i}`, g] as const),
        ];
        const children = all.flatMap(([name, g]) =>
          g.runs.map((s, k) =>
            childTaskRun(`pr-${name}-${k}`, name, {
              start: time(s),
              end: time(s + 60),
            })
          )
        );
        const statement = buildSlsaV02(
          input(pipelineRun(specTasks, { finally: specFinally }), children),
          {
            builderId: 'b',
            buildType: 'slsa',
            deepInspection: false,
          }
        ) as {
          predicate: { buildConfig: { tasks: Record<string, unknown>[] } };
        };
        const entries = statement.predicate.buildConfig.tasks;
        const seen = entries
          .map((e) => `${String(e['name'])}@${String(e['startedOn'])}`)
          .sort();
        const expected = all
          .flatMap(([name, g]) => g.runs.map((s) => `${name}@${time(s)}`))
          .sort();
        assert.deepStrictEqual(seen, expected);
        const present = new Set(entries.map((e) => e['name']));
        for (const e of entries) {
          for (const a of (e['after'] ?? []) as string[])
            assert.ok(present.has(a), `${String(e['name'])} after ${a}`);
        }
        const starts = entries.map((e) => String(e['startedOn']));
        assert.deepStrictEqual(starts, [...starts].sort());
      }),
      { seed: 20240101, numRuns: 200 }
    );
  });
});
