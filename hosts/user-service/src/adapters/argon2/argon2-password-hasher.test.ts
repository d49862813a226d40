import { expect } from 'chai';
import { passwordHasherContract } from '@conference/user/contracts';
import { Argon2PasswordHasher } from './argon2-password-hasher.js';

// The production parameters: the contract must hold for what runs, not only for a cheap setting.
passwordHasherContract('argon2id (default cost)', async () => new Argon2PasswordHasher());
passwordHasherContract('argon2id (test cost)', async () => new Argon2PasswordHasher({ memoryKiB: 1024, timeCost: 1 }));

describe('Argon2PasswordHasher', () => {
  it('makes argon2id PHC hashes with the configured cost', async () => {
    const hash = await new Argon2PasswordHasher({ memoryKiB: 2048, timeCost: 3, parallelism: 2 }).hash('correct horse battery');
    expect(hash).to.match(/^\$argon2id\$v=19\$m=2048,p=2,t=3\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
  });

  it('verifies hashes made with another cost (after the cost was raised)', async () => {
    const old = await new Argon2PasswordHasher({ memoryKiB: 1024, timeCost: 1 }).hash('correct horse battery');
    expect(await new Argon2PasswordHasher().verify(old, 'correct horse battery')).to.equal(true);
  });

  it('answers false for truncated and tampered argon2 strings', async () => {
    const hasher = new Argon2PasswordHasher({ memoryKiB: 1024, timeCost: 1 });
    const hash = await hasher.hash('correct horse battery');
    for (const broken of [hash.slice(0, -5), hash.replace('argon2id', 'argon2x'), `${hash}$extra`, hash.replace(/m=\d+/, 'm=abc')]) {
      expect(await hasher.verify(broken, 'correct horse battery'), broken).to.equal(false);
    }
  });

  it('refuses a cost too small to protect anything', () => {
    expect(() => new Argon2PasswordHasher({ memoryKiB: 64 })).to.throw(RangeError, 'at least 1024');
    expect(() => new Argon2PasswordHasher({ timeCost: 0 })).to.throw(RangeError);
    expect(() => new Argon2PasswordHasher({ parallelism: 0 })).to.throw(RangeError);
  });
});
