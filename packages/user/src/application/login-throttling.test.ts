import { expect } from 'chai';
import { TooManyLoginAttemptsError } from '../domain/errors.js';
import { PASSWORD, userTestKit, type UserTestKit } from '../testing/user-test-kit.js';

const wrong = (kit: UserTestKit, email: string, ip: string | null = '192.0.2.1') => kit.login.execute({ email, password: 'wrong password!', ip });
const right = (kit: UserTestKit, email: string, ip: string | null = '192.0.2.1') => kit.login.execute({ email, password: PASSWORD, ip });
const errorOf = (result: Awaited<ReturnType<UserTestKit['login']['execute']>>) => (result.ok ? null : result.error);

describe('Login throttling', () => {
  it('after 5 failures for one account in 15 minutes refuses even the right password, until the window ends', async () => {
    const kit = userTestKit();
    await kit.seedUser('ada@example.org');
    for (let i = 0; i < 5; i++) {
      expect(errorOf(await wrong(kit, 'ada@example.org', `192.0.2.${i + 1}`))?.code).to.equal('AUTH.INVALID_CREDENTIALS');
      kit.clock.advance(60_000);
    }
    const verifications = kit.hasher.calls.verify;
    const refused = errorOf(await right(kit, 'ADA@example.org', '198.51.100.1'));
    expect(refused).to.be.instanceOf(TooManyLoginAttemptsError);
    expect(refused).to.include({ code: 'AUTH.TOO_MANY_ATTEMPTS', kind: 'forbidden', retryAfterSeconds: 600 });
    expect(kit.hasher.calls.verify, 'no password is checked while refused').to.equal(verifications);
    expect(kit.store.state.loginSessions.size).to.equal(0);

    kit.clock.advance(600_000);
    expect((await right(kit, 'ada@example.org', '198.51.100.1')).ok).to.equal(true);
  });

  it('throttles an unknown email exactly like an existing one (no hint which accounts exist)', async () => {
    const kit = userTestKit();
    await kit.seedUser('ada@example.org');
    for (let i = 0; i < 5; i++) await wrong(kit, 'ada@example.org', `192.0.2.${i + 1}`);
    for (let i = 0; i < 5; i++) await wrong(kit, 'nobody@example.org', `192.0.2.${i + 1}`);
    const known = errorOf(await wrong(kit, 'ada@example.org', '198.51.100.1'));
    const unknown = errorOf(await wrong(kit, 'nobody@example.org', '198.51.100.1'));
    expect({ code: known?.code, message: known?.message }).to.deep.equal({ code: unknown?.code, message: unknown?.message });
    expect(known?.code).to.equal('AUTH.TOO_MANY_ATTEMPTS');
  });

  it('after 20 failures from one address refuses that address for any account, not other addresses', async () => {
    const kit = userTestKit();
    await kit.seedUser('ada@example.org');
    for (let i = 0; i < 20; i++) await wrong(kit, `guess${i}@example.org`, '203.0.113.9');
    expect(errorOf(await right(kit, 'ada@example.org', '203.0.113.9'))?.code).to.equal('AUTH.TOO_MANY_ATTEMPTS');
    expect((await right(kit, 'ada@example.org', '198.51.100.1')).ok).to.equal(true);
  });

  it('a successful login clears the account\'s failures but not the address\'s', async () => {
    const kit = userTestKit({ auth: { maxFailedLoginsPerAddress: 6 } });
    await kit.seedUser('ada@example.org');
    for (let i = 0; i < 4; i++) await wrong(kit, 'ada@example.org');
    expect((await right(kit, 'ada@example.org')).ok).to.equal(true);
    for (let i = 0; i < 2; i++) expect(errorOf(await wrong(kit, 'ada@example.org'))?.code).to.equal('AUTH.INVALID_CREDENTIALS');
    // Six failures from this address now (4 + 2): the login clearing the account did not clear the address.
    expect(errorOf(await right(kit, 'ada@example.org'))?.code).to.equal('AUTH.TOO_MANY_ATTEMPTS');
  });

  it('throttles only the account when the caller has no address', async () => {
    const kit = userTestKit({ auth: { maxFailedLoginsPerAccount: 2 } });
    await kit.seedUser('ada@example.org');
    await wrong(kit, 'ada@example.org', null);
    await wrong(kit, 'ada@example.org', null);
    expect(errorOf(await right(kit, 'ada@example.org', null))?.code).to.equal('AUTH.TOO_MANY_ATTEMPTS');
  });

  it('counts an absurdly long password as a failure too', async () => {
    const kit = userTestKit({ auth: { maxFailedLoginsPerAccount: 1 } });
    await kit.seedUser('ada@example.org');
    await kit.login.execute({ email: 'ada@example.org', password: 'x'.repeat(10_000) });
    expect(errorOf(await right(kit, 'ada@example.org'))?.code).to.equal('AUTH.TOO_MANY_ATTEMPTS');
  });

  it('refuses nonsensical limits at construction', () => {
    expect(() => userTestKit({ auth: { maxFailedLoginsPerAccount: 0 } })).to.throw(RangeError);
    expect(() => userTestKit({ auth: { failedLoginWindowSeconds: 1.5 } })).to.throw(RangeError);
  });
});
