// `tekton-provenance backfill …`: the reconcile sweep from a workstation, with a kubeconfig; prints the report.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { readKubeSettings } from '../../shared/config-kube.js';
import { EnvReader, parseDurationSeconds } from '../../shared/config-reader.js';
import { UsageError } from '../../shared/core/errors.js';
import { DEFAULT_BUILDER_ID, parseFormat } from '../../shared/core/formats.js';
import type { BuildOptions } from '../../shared/core/types.js';
import { makeKubeApi } from '../../shared/kube/kube-api.js';
import { KubeRunLister } from '../../shared/kube/kube-run-lister.js';
import { KubeRunSource } from '../../shared/kube/kube-run-source.js';
import { reconcile } from '../../shared/reconcile.js';
import { createSigner } from '../../shared/signers/create-signer.js';
import { createStore } from '../../shared/stores/create-store.js';
import { parseCommandArgs, type CliIo, type Command } from '../io.js';
import { cliTriggerLink } from '../trigger-link-env.js';

const OPTIONS = {
  namespace: { type: 'string', multiple: true },
  since: { type: 'string', default: '24h' },
  format: { type: 'string', multiple: true },
  signer: { type: 'string' },
  store: { type: 'string' },
  kubeconfig: { type: 'string' },
  'builder-id': { type: 'string', default: DEFAULT_BUILDER_ID },
  'build-type': { type: 'string', default: 'slsa' },
  'page-size': { type: 'string', default: '500' },
} as const;

const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

function usage(message: string): UsageError {
  return new UsageError('USAGE', message);
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw usage(`expected --${flag}`);
  return value;
}

function positive(text: string, flag: string, max: number): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(n > 0 && n <= max))
    throw usage(
      `expected --${flag} from 1 to ${max}, got ${JSON.stringify(text)}`
    );
  return n;
}

// Credentials as the functions read them (KUBE_SERVER…, KUBECONFIG, in-cluster); --kubeconfig wins over all.
function kubeSettings(io: CliIo, kubeconfig: string | undefined) {
  const env = { ...io.env };
  if (kubeconfig !== undefined) {
    for (const name of ['KUBE_SERVER', 'KUBE_TOKEN', 'KUBE_TOKEN_FILE'])
      delete env[name];
    env.KUBECONFIG = resolve(io.cwd, kubeconfig);
  }
  const r = new EnvReader(env);
  const host = {
    exists: existsSync,
    readText: (p: string) => readFileSync(p, 'utf8'),
  };
  const kube = readKubeSettings(r, host);
  r.check();
  if (kube.auth === 'none')
    throw usage(
      'expected --kubeconfig, KUBECONFIG, ~/.kube/config or in-cluster credentials'
    );
  return kube;
}

// Sweeps every finished run completed within --since; exit 0 when none failed, 1 otherwise.
export const run: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs(argv, OPTIONS);
  const signerRef = required(values.signer, 'signer');
  const storeRef = required(values.store, 'store');
  const namespaces = values.namespace ?? [];
  const bad = namespaces.find((ns) => !NAMESPACE.test(ns));
  if (bad !== undefined)
    throw usage(
      `expected --namespace as a namespace name, got ${JSON.stringify(bad)}`
    );
  if (positionals.length > 0)
    throw usage(`expected no positional arguments, got ${positionals.length}`);
  const since = parseDurationSeconds(values.since);
  if (since === undefined || since <= 0)
    throw usage(
      `expected --since as a duration such as 90m, 24h or 7d, got ${JSON.stringify(values.since)}`
    );
  const buildType = values['build-type'];
  if (buildType !== 'slsa' && buildType !== 'slsa-tekton')
    throw usage(
      `expected --build-type slsa or slsa-tekton, got ${JSON.stringify(buildType)}`
    );
  const options: BuildOptions = {
    builderId: values['builder-id'],
    buildType,
    deepInspection: false,
  };
  const formats = [
    ...new Set((values.format ?? ['slsa/v0.2']).map(parseFormat)),
  ];
  const pageSize = positive(values['page-size'], 'page-size', 10000);
  const kube = kubeSettings(io, values.kubeconfig);
  const triggerLink = cliTriggerLink('backfill', io);
  const [client, signer, store] = await Promise.all([
    makeKubeApi(kube),
    createSigner(signerRef, { cwd: io.cwd }),
    createStore(storeRef, { cwd: io.cwd }),
  ]);
  const lister = await client.objectsApi();
  const report = await reconcile(
    {
      lister: new KubeRunLister(lister.api, lister.options),
      source: new KubeRunSource(client.runApi, client.options),
      attest: { signer, store, formats, options, triggerLink },
      embedTriggerEvent: triggerLink.embed,
    },
    {
      windowMs: since * 1000,
      namespaces,
      budgetMs: Number.MAX_SAFE_INTEGER,
      pageSize,
    }
  );
  io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  return report.failed.count === 0 ? 0 : 1;
};
