import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeDeps } from '../../functions/deps.js';
import { makeSignEvent, signEventDeps } from '../../functions/sign-event.js';
import { loadConfig } from '../../shared/config.js';
import { createMemoryLogger } from '../../shared/log.js';

describe('start-up warnings are specific to the function that uses the setting', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'deps-warnings-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('RUN_SOURCE=event is warned once, when attestRun first builds its run source, never for signEvent', async () => {
    const config = loadConfig({ RUN_SOURCE: 'event', STORE: dir });
    const logger = createMemoryLogger();
    const deps = makeDeps(config, logger, { cwd: dir });
    makeSignEvent(signEventDeps(deps));
    await deps.store();
    assert.equal(logger.entries.length, 0);
    const first = await deps.source();
    assert.equal(first.name, 'event');
    await deps.source();
    const warnings = logger.entries.filter((e) => e.severity === 'WARNING');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!.message, /^RUN_SOURCE=event: .*local use only/);
  });
});
