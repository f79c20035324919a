// Where Tekton Chains' fixtures live (../shared/chains-testdata, never copied into the repo), and the one
// way a suite skips when they are absent, as on a user's fresh clone: with a visible reason.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const CHAINS_TESTDATA = resolve(
  process.cwd(),
  '../shared/chains-testdata'
);

let announced = false;

// Skips the calling suite or test when the fixtures are absent, saying why once per run.
export function skipWithoutChainsTestdata(ctx: Mocha.Context): void {
  if (existsSync(CHAINS_TESTDATA)) return;
  if (!announced) {
    announced = true;
    console.log(
      `    skipped: Chains conformance fixtures not found at ${CHAINS_TESTDATA} (they ship beside the repo in ../shared)`
    );
  }
  ctx.skip();
}
