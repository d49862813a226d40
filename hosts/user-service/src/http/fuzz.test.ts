import { expect } from 'chai';
import { malformedBodies, sendRaw } from '@conference/http-kit/testing';
import { PASSWORD, userServiceUnderTest, type UserServiceUnderTest } from './http-test-kit.js';

const PER_ROUTE = 500;

describe('user service: fuzzing every write route with malformed bodies', function () {
  this.timeout(120_000);
  let svc: UserServiceUnderTest;
  let member: Awaited<ReturnType<UserServiceUnderTest['attendee']>>;
  let admin: Awaited<ReturnType<UserServiceUnderTest['admin']>>;

  before(async () => {
    svc = await userServiceUnderTest();
    member = await svc.attendee('Member');
    admin = await svc.admin();
  });

  /**
   * Each route's sample is a valid body that changes nothing when sent as is (a taken email, the
   * current name, the current role ...), so ANY write after a variant means a malformed body got
   * through. The login and refresh samples hold real credentials for the same reason.
   */
  const routes = () => [
    { method: 'post', path: '/api/auth/register', auth: null, sample: { email: member.user.email, password: PASSWORD, name: 'Fuzz' } },
    { method: 'post', path: '/api/auth/login', auth: null, sample: { email: member.user.email, password: PASSWORD } },
    { method: 'post', path: '/api/auth/refresh', auth: null, sample: { refreshToken: 'unknown-refresh-token' } },
    { method: 'post', path: '/api/auth/logout', auth: null, sample: { refreshToken: 'unknown-refresh-token' } },
    { method: 'patch', path: '/api/users/me', auth: member.auth, sample: { name: member.user.name, email: member.user.email, version: 1 } },
    { method: 'patch', path: `/api/users/${member.user.id}/role`, auth: admin.auth, sample: { role: 'attendee', version: 1 } },
    { method: 'post', path: '/api/users/me/enrollments', auth: member.auth, sample: { eventId: 'not-an-event-id' } },
  ] as const;

  for (const [index, name] of ['register', 'login', 'refresh', 'logout', 'PATCH me', 'PATCH role', 'POST enrollments'].entries()) {
    it(`${name}: ${PER_ROUTE} malformed bodies, no 5xx, the pipeline's own statuses where it decides, nothing written`, async () => {
      const route = routes()[index]!;
      const before = svc.snapshot();
      const bodies = malformedBodies(1000 + index, PER_ROUTE, { sample: route.sample, limitBytes: svc.config.BODY_LIMIT_BYTES });
      expect(bodies).to.have.length(PER_ROUTE);
      const statuses = new Map<number, number>();
      for (const body of bodies) {
        let test = svc.request()[route.method](route.path);
        if (route.auth) test = test.set('Authorization', route.auth);
        const res = await sendRaw(test, body.body, body.contentType);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        // Some variants are valid bodies (an optional field left out, a token with a NUL): they may
        // succeed, but as the no-op the sample is; the snapshot below proves it.
        expect(res.status, body.name).to.be.below(500);
        if (body.expectedStatus) expect(res.status, body.name).to.equal(body.expectedStatus);
        if (res.status >= 400) expect(res.headers['content-type'], body.name).to.match(/^application\/problem\+json/);
      }
      expect(svc.snapshot(), 'nothing written').to.equal(before);
      expect(statuses.get(400)).to.be.greaterThan(PER_ROUTE / 2);
    });
  }
});
