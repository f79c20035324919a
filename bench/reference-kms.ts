// The reference sink's one KMS call: a bare AsymmetricSign (digest + CRC32C) POSTed to the stand-in's REST
// face on a keep-alive agent, without retries or reply checks.
import http from 'node:http';
import type { StandIns } from './stand-ins.js';

const agent = new http.Agent({ keepAlive: true });

// The version the stand-in signs with (its only one).
const versionOf = (si: StandIns) =>
  `${si.kmsRef.replace(/^gcpkms:\/\//, '')}/cryptoKeyVersions/1`;

// One AsymmetricSign over sha256; resolves to the DER signature.
export function kmsSignRaw(
  si: StandIns,
  sha256: Buffer,
  crc: number
): Promise<Buffer> {
  const body = JSON.stringify({
    digest: { sha256: sha256.toString('base64') },
    digestCrc32c: String(crc),
  });
  const url = new URL(`/v1/${versionOf(si)}:asymmetricSign`, si.kmsRestUrl);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const reply = JSON.parse(Buffer.concat(chunks).toString()) as {
            signature?: string;
          };
          if (res.statusCode !== 200 || !reply.signature)
            return reject(new Error(`KMS stand-in: HTTP ${res.statusCode}`));
          resolve(Buffer.from(reply.signature, 'base64'));
        });
      }
    );
    req.on('error', reject);
    req.end(body);
  });
}
