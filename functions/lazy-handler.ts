// A handler whose modules are imported on its first request, so other entry points' cold starts never pay
// for them (verifyImage loads the whole verifier).
import type { HttpFunction } from '@google-cloud/functions-framework';

export function lazyHandler(make: () => Promise<HttpFunction>): HttpFunction {
  let handler: Promise<HttpFunction> | undefined;
  return async (req, res) => {
    handler ??= make().catch((err: unknown) => {
      handler = undefined;
      throw err;
    });
    await (
      await handler
    )(req, res);
  };
}
