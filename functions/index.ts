// Entry points for functions-framework: configuration is read once here; clients are built on first use.
import * as ff from '@google-cloud/functions-framework';
import { loadConfig } from '../shared/config.js';
import { describeError } from '../shared/core/errors.js';
import { createJsonLogger } from '../shared/log.js';
import { makeAttestRun } from './attest-run.js';
import { attestRunDeps, makeDeps, type Deps } from './deps.js';
import { makeReconcile, reconcileDeps } from './reconcile.js';
import { makeSignEvent, signEventDeps } from './sign-event.js';
import { lazyHandler } from './lazy-handler.js';

// Express (inside functions-framework) answers requests its body parser rejects before our code runs;
// outside production mode it would put a stack trace in that reply, so production is the default.
process.env.NODE_ENV ??= 'production';

const logger = createJsonLogger();

// A bad setting stops the start with one message naming every variable at fault.
function loadOrExit(): ReturnType<typeof loadConfig> {
  try {
    return loadConfig();
  } catch (err) {
    logger.log('ERROR', `configuration refused: ${describeError(err)}`);
    throw err;
  }
}

const config = loadOrExit();

// One set of lazily built clients shared by every function of this instance; each logs its own start-up
// warnings when first built (the RUN_SOURCE=event one with attestRun's run source), not here.
export const deps: Deps = makeDeps(config, logger);

ff.http('attestRun', makeAttestRun(attestRunDeps(deps)));
ff.http('signEvent', makeSignEvent(signEventDeps(deps)));
ff.http('reconcile', makeReconcile(reconcileDeps(deps)));
ff.http(
  'verifyImage',
  lazyHandler(async () => {
    const [{ makeVerifyImage }, { verifyImageDeps }] = await Promise.all([
      import('./verify-image.js'),
      import('./verify-image-deps.js'),
    ]);
    return makeVerifyImage(verifyImageDeps(deps));
  })
);
