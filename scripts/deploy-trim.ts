// esbuild plugins that keep dead weight out of the chunk the first event loads (`KubeConfig`'s), each with the
// same bindings at run time; both fail or fall back visibly if the dependency changes shape.
// - client-node's config.js takes two names from its generated API's index, whose `export *` graph reaches every
//   generated API class and model (~420 KiB): they are imported from the modules that define them, which leaves
//   the generated API to the chunk of kube-objects-api.ts (reconcile's list). Import of the chunk: 72 → 46 ms.
// - node-fetch 2 requires whatwg-url (and its 259 KiB tr46 table) but uses it only where Node has no `url.URL`
//   (`Url.URL || whatwgUrl.URL`); on Node 20 it is given Node's own URL instead. Import: 46 → 35 ms.
import { readFile } from 'node:fs/promises';
import type { Plugin } from 'esbuild';

const CONFIG = /[\\/]@kubernetes[\\/]client-node[\\/]dist[\\/]config\.js$/;
const FROM =
  "import { createConfiguration, ServerConfiguration, } from './gen/index.js';";
const TO =
  "import { createConfiguration } from './gen/configuration.js';\n" +
  "import { ServerConfiguration } from './gen/servers.js';";
const NODE_FETCH_2 = /[\\/]node_modules[\\/]node-fetch[\\/]lib[\\/]/;
const SHIM = 'node-url-shim';

export const kubeConfigNarrow: Plugin = {
  name: 'kubeconfig-narrow',
  setup(build) {
    build.onLoad({ filter: CONFIG }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      if (!text.includes(FROM)) {
        return {
          errors: [
            {
              text: `expected ${args.path} to import from './gen/index.js' as client-node 1.4 does; review scripts/deploy-trim.ts`,
            },
          ],
        };
      }
      return { contents: text.replace(FROM, TO), loader: 'js' };
    });
  },
};

export const nodeFetchUrl: Plugin = {
  name: SHIM,
  setup(build) {
    build.onResolve({ filter: /^whatwg-url$/ }, (args) =>
      NODE_FETCH_2.test(args.importer)
        ? { path: 'whatwg-url', namespace: SHIM }
        : undefined
    );
    build.onLoad({ filter: /.*/, namespace: SHIM }, () => ({
      contents: "module.exports = { URL: require('node:url').URL };",
      loader: 'js',
    }));
  },
};
