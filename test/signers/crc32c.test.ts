import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { CRC32C } from '@google-cloud/storage';
import { crc32c } from '../../shared/signers/crc32c.js';

describe('crc32c', () => {
  it('matches the Castagnoli check value and the storage library', () => {
    assert.equal(crc32c(Buffer.from('123456789')), 0xe3069283);
    assert.equal(crc32c(Buffer.alloc(0)), 0);
    for (const size of [1, 31, 32, 1000, 65537]) {
      const data = randomBytes(size);
      const theirs = new CRC32C();
      theirs.update(data);
      assert.equal(crc32c(data), theirs.valueOf() >>> 0);
    }
  });
});
