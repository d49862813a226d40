import { expect } from 'chai';
import { decodeWith } from '@conference/kernel';
import { ChangeRoleBody, EnrollmentRequestBody, ListUsersQuery, LoginBody, RefreshBody, RegisterBody, UpdateMeBody } from './codecs.js';

const issuesOf = (result: ReturnType<typeof decodeWith>) => (result.ok ? [] : result.error.issues);

describe('request codecs', () => {
  it('RegisterBody trims email and name but keeps the password exactly as typed', () => {
    const result = decodeWith(RegisterBody, { email: ' Ada@Example.org ', password: '  ten chars  ', name: ' Ada ' });
    expect(result).to.deep.equal({ ok: true, value: { email: 'Ada@Example.org', password: '  ten chars  ', name: 'Ada' } });
  });

  it('RegisterBody reports each bad field with its path, and refuses unknown fields', () => {
    const result = decodeWith(RegisterBody, { email: 'nope', password: 'short', name: '', role: 'admin' });
    expect(issuesOf(result)).to.deep.equal([{ path: 'role', message: 'is not a known field' }]);
    const fields = decodeWith(RegisterBody, { email: 'nope', password: 'short', name: '' });
    expect(issuesOf(fields)).to.deep.equal([
      { path: 'email', message: 'must be an email address' },
      { path: 'password', message: 'must be at least 10 characters' },
      { path: 'name', message: 'must not be empty' },
    ]);
    expect(issuesOf(decodeWith(RegisterBody, { email: 'a@b.org', password: 'x'.repeat(257), name: 'A' }))).to.deep.equal([
      { path: 'password', message: 'must be at most 256 characters' },
    ]);
  });

  it('LoginBody accepts any non-empty password (the rules are not hinted at login)', () => {
    expect(decodeWith(LoginBody, { email: 'a@b.org', password: 'x' }).ok).to.equal(true);
    expect(issuesOf(decodeWith(LoginBody, { email: 'a@b.org', password: '' }))).to.deep.equal([{ path: 'password', message: 'must not be empty' }]);
  });

  it('RefreshBody needs a token of sane length', () => {
    expect(decodeWith(RefreshBody, { refreshToken: 'abc' }).ok).to.equal(true);
    expect(decodeWith(RefreshBody, { refreshToken: '' }).ok).to.equal(false);
    expect(decodeWith(RefreshBody, { refreshToken: 'x'.repeat(513) }).ok).to.equal(false);
    expect(decodeWith(RefreshBody, {}).ok).to.equal(false);
  });

  it('UpdateMeBody takes any of name, email and version', () => {
    expect(decodeWith(UpdateMeBody, { name: ' New ', version: 3 })).to.deep.equal({ ok: true, value: { name: 'New', version: 3 } });
    expect(decodeWith(UpdateMeBody, {}).ok).to.equal(true);
    expect(issuesOf(decodeWith(UpdateMeBody, { version: 0 }))).to.deep.equal([{ path: 'version', message: 'must be between 1 and 9007199254740991' }]);
    expect(issuesOf(decodeWith(UpdateMeBody, { password: 'x' }))).to.deep.equal([{ path: 'password', message: 'is not a known field' }]);
  });

  it('ChangeRoleBody accepts only the three roles', () => {
    expect(decodeWith(ChangeRoleBody, { role: 'organizer' }).ok).to.equal(true);
    expect(decodeWith(ChangeRoleBody, { role: 'root' }).ok).to.equal(false);
  });

  it('EnrollmentRequestBody needs a UUID event id', () => {
    expect(decodeWith(EnrollmentRequestBody, { eventId: '7d4f1b7e-1f7e-4c2a-9a56-0f2d4f0b1c11' }).ok).to.equal(true);
    expect(issuesOf(decodeWith(EnrollmentRequestBody, { eventId: 'e1' }))).to.have.length(1);
  });

  it('ListUsersQuery reads the limit from the query string', () => {
    expect(decodeWith(ListUsersQuery, { limit: '20', q: 'ada' })).to.deep.equal({ ok: true, value: { limit: 20, q: 'ada' } });
    for (const limit of ['0', '101', '2.5', 'ten']) expect(decodeWith(ListUsersQuery, { limit }).ok, limit).to.equal(false);
  });
});
