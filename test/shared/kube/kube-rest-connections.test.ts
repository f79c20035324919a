import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../shared/config.js';
import { SourceError } from '../../../shared/core/errors.js';
import { createRunSource } from '../../../shared/kube/create-run-source.js';
import type { RunSource } from '../../../shared/kube/run-source.js';
import { makeSyntheticPipeline } from '../../fixtures/synthetic-pipeline.js';
import {
  startKubeServer,
  type KubeStandIn,
} from '../../stand-ins/kube-server.js';

const TOKEN = 'kube-connections-token';

// A self-signed P-256 certificate for 127.0.0.1, made by openssl (so also a CA the client can be given).
function selfSigned(dir: string, name: string) {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.pem`);
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
    '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', `/CN=${name}`,
    '-addext', 'subjectAltName=IP:127.0.0.1',
  ], { stdio: 'ignore' }); // prettier-ignore
  return { key, cert };
}

async function fetchTimes(source: RunSource, kube: KubeStandIn, n: number) {
  const p = makeSyntheticPipeline(5);
  kube.setRuns([p.pipelineRun, ...p.taskRuns]);
  for (let i = 0; i < n; i++) {
    const input = await source.fetch({
      kind: 'pipelinerun',
      ...p.pipelineRun.metadata,
    });
    assert.equal(input.taskRuns.length, 5);
  }
}

// The client library's applyToHTTPSOptions makes a new Agent (no keep-alive) for every request: the run
// source must not pay a TCP and TLS handshake per GET, nor keep a connection past a change of CA.
describe('Kubernetes reads keep their connections alive (kube stand-in, real @kubernetes/client-node)', () => {
  let dir: string;
  // The stand-in's PEM key and certificate (its own CA).
  let tls: { key: string; cert: string };
  let other: { key: string; cert: string };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kube-tls-'));
    const files = selfSigned(dir, 'kube-stand-in');
    tls = {
      key: await readFile(files.key, 'utf8'),
      cert: await readFile(files.cert, 'utf8'),
    };
    other = selfSigned(dir, 'someone-else');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('over http, reuses the GET and LIST connections for later events', async () => {
    const kube = await startKubeServer({ token: TOKEN });
    try {
      const config = loadConfig({ KUBE_SERVER: kube.url, KUBE_TOKEN: TOKEN });
      await fetchTimes(
        await createRunSource('kubernetes', config.kube),
        kube,
        4
      );
      assert.equal(kube.requests.length, 8);
      // The GET and the LIST go out together, so the first event opens two; the others open none.
      assert.ok(kube.connections <= 2, `${kube.connections} connections`);
    } finally {
      await kube.close();
    }
  });

  it('over https, verifies the server against KUBE_CA_DATA once per connection and reuses it', async () => {
    const kube = await startKubeServer({ token: TOKEN, tls });
    try {
      const config = loadConfig({
        KUBE_SERVER: kube.url,
        KUBE_TOKEN: TOKEN,
        KUBE_CA_DATA: Buffer.from(tls.cert).toString('base64'),
      });
      await fetchTimes(
        await createRunSource('kubernetes', config.kube),
        kube,
        4
      );
      assert.equal(kube.requests.length, 8);
      assert.ok(kube.connections <= 2, `${kube.connections} TLS handshakes`);
    } finally {
      await kube.close();
    }
  });

  it('over https, refuses a server its CA did not sign, and drops kept connections when the CA file changes', async () => {
    const kube = await startKubeServer({ token: TOKEN, tls });
    const caFile = join(dir, 'ca.pem');
    try {
      await writeFile(caFile, tls.cert);
      const config = loadConfig({
        KUBE_SERVER: kube.url,
        KUBE_TOKEN: TOKEN,
        KUBE_CA_FILE: caFile,
      });
      const source = await createRunSource('kubernetes', config.kube);
      await fetchTimes(source, kube, 2);
      const seen = kube.requests.length;
      await writeFile(caFile, await readFile(other.cert));
      await assert.rejects(fetchTimes(source, kube, 1), (err: unknown) => {
        assert.ok(err instanceof SourceError, String(err));
        assert.equal(err.code, 'KUBE_UNAVAILABLE');
        return true;
      });
      assert.equal(kube.requests.length, seen, 'no request reached the server');
    } finally {
      await kube.close();
    }
  });
});
