import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { userServiceUnderTest, type UserServiceUnderTest } from './http-test-kit.js';
import { EnrollmentRequestViewCodec, UserPageCodec, UserViewCodec } from './views.js';

const paths = (res: { body: { errors?: { path: string }[] } }) => (res.body.errors ?? []).map((e) => e.path);
const conforms = (codec: { decode: (u: unknown) => { _tag: string } }, body: unknown) => expect(codec.decode(body)._tag, JSON.stringify(body)).to.equal('Right');

describe('user service /api/users', () => {
  let svc: UserServiceUnderTest;
  beforeEach(async () => { svc = await userServiceUnderTest(); });

  describe('GET /api/users/me', () => {
    it('200 with my account and its ETag', async () => {
      const { user, auth } = await svc.attendee('Ada');
      const res = await svc.request().get('/api/users/me').set('Authorization', auth).expect(200);
      conforms(UserViewCodec, res.body);
      expect(res.body).to.deep.equal(user);
      expect(res.headers['etag']).to.equal('"1"');
    });

    it('404 USER.NOT_FOUND for a valid token whose account does not exist here', async () => {
      const other = await userServiceUnderTest({ JWT_PRIVATE_KEY: svc.config.JWT_PRIVATE_KEY! });
      const { auth } = await other.attendee();
      expect((await svc.request().get('/api/users/me').set('Authorization', auth).expect(404)).body.code).to.equal('USER.NOT_FOUND');
    });
  });

  describe('PATCH /api/users/me', () => {
    it('200 with If-Match: the new name and email, version and ETag moved on', async () => {
      const { auth } = await svc.attendee('Ada');
      const res = await svc.request().patch('/api/users/me').set('Authorization', auth).set('If-Match', '"1"').send({ name: 'Ada King', email: 'ada.king@example.org' }).expect(200);
      expect(res.body).to.include({ name: 'Ada King', email: 'ada.king@example.org', version: 2 });
      expect(res.headers['etag']).to.equal('"2"');
    });

    it('200 with the version in the body instead of If-Match', async () => {
      const { auth } = await svc.attendee('Ada');
      const res = await svc.request().patch('/api/users/me').set('Authorization', auth).send({ name: 'Ada B', version: 1 }).expect(200);
      expect(res.body.version).to.equal(2);
    });

    it('409 on a stale version, and nothing changes', async () => {
      const { auth } = await svc.attendee('Ada');
      await svc.request().patch('/api/users/me').set('Authorization', auth).set('If-Match', '"1"').send({ name: 'First' }).expect(200);
      const res = await svc.request().patch('/api/users/me').set('Authorization', auth).set('If-Match', '"1"').send({ name: 'Second' }).expect(409);
      expect(res.body.code).to.equal('USER.STALE_VERSION');
      expect((await svc.request().get('/api/users/me').set('Authorization', auth)).body.name).to.equal('First');
    });

    it('409 USER.EMAIL_TAKEN for another account\'s email', async () => {
      const taken = await svc.register('taken@example.org');
      const { auth } = await svc.attendee();
      const res = await svc.request().patch('/api/users/me').set('Authorization', auth).set('If-Match', '"1"').send({ email: taken.email.toUpperCase() }).expect(409);
      expect(res.body.code).to.equal('USER.EMAIL_TAKEN');
    });

    it('428 without any version; 400 for a malformed If-Match', async () => {
      const { auth } = await svc.attendee();
      expect((await svc.request().patch('/api/users/me').set('Authorization', auth).send({ name: 'X' }).expect(428)).body.code).to.equal('REQUEST.PRECONDITION_REQUIRED');
      expect(paths(await svc.request().patch('/api/users/me').set('Authorization', auth).set('If-Match', 'W/"1"').send({ name: 'X' }).expect(400))).to.deep.equal(['If-Match']);
    });

    it('400 naming each invalid field', async () => {
      const { auth } = await svc.attendee();
      for (const [body, path] of [[{ name: '' }, 'name'], [{ email: 'nope' }, 'email'], [{ version: 0 }, 'version'], [{ version: 'one' }, 'version'], [{ role: 'admin' }, 'role']] as const) {
        expect(paths(await svc.request().patch('/api/users/me').set('Authorization', auth).set('If-Match', '"1"').send(body).expect(400)), JSON.stringify(body)).to.include(path);
      }
    });
  });

  describe('GET /api/users (admin)', () => {
    it('200 with a keyset page; the cursor continues without gaps or repeats; q filters', async () => {
      const admin = await svc.admin();
      for (let i = 0; i < 4; i++) await svc.register(`member${i}@example.org`, `Member ${i}`);
      const first = await svc.request().get('/api/users?limit=3').set('Authorization', admin.auth).expect(200);
      conforms(UserPageCodec, first.body);
      expect(first.body.items).to.have.length(3);
      const second = await svc.request().get('/api/users').query({ limit: 3, cursor: first.body.nextCursor }).set('Authorization', admin.auth).expect(200);
      expect(second.body.items).to.have.length(2);
      expect(second.body.nextCursor).to.equal(null);
      const ids = [...first.body.items, ...second.body.items].map((u: { id: string }) => u.id);
      expect(new Set(ids).size).to.equal(5);
      const filtered = await svc.request().get('/api/users?q=MEMBER 2').set('Authorization', admin.auth).expect(200);
      expect(filtered.body.items.map((u: { name: string }) => u.name)).to.deep.equal(['Member 2']);
    });

    it('403 AUTH.ADMIN_REQUIRED for an attendee', async () => {
      const { auth } = await svc.attendee();
      expect((await svc.request().get('/api/users').set('Authorization', auth).expect(403)).body.code).to.equal('AUTH.ADMIN_REQUIRED');
    });

    it('400 naming limit, cursor or an unknown parameter', async () => {
      const admin = await svc.admin();
      expect(paths(await svc.request().get('/api/users?limit=0').set('Authorization', admin.auth).expect(400))).to.deep.equal(['limit']);
      expect(paths(await svc.request().get('/api/users?limit=abc').set('Authorization', admin.auth).expect(400))).to.deep.equal(['limit']);
      expect(paths(await svc.request().get('/api/users?cursor=garbage').set('Authorization', admin.auth).expect(400))).to.deep.equal(['cursor']);
      expect(paths(await svc.request().get('/api/users?sort=name').set('Authorization', admin.auth).expect(400))).to.deep.equal(['sort']);
    });
  });

  describe('GET /api/users/:id', () => {
    it('200 for myself and for an admin, with ETag', async () => {
      const { user, auth } = await svc.attendee();
      const admin = await svc.admin();
      for (const who of [auth, admin.auth]) {
        const res = await svc.request().get(`/api/users/${user.id}`).set('Authorization', who).expect(200);
        expect(res.body).to.deep.equal(user);
        expect(res.headers['etag']).to.equal('"1"');
      }
    });

    it('403 for another user (whether or not the id exists: nothing to probe)', async () => {
      const victim = await svc.attendee('Victim');
      const { auth } = await svc.attendee('Snoop');
      for (const id of [victim.user.id, randomUUID()]) {
        const res = await svc.request().get(`/api/users/${id}`).set('Authorization', auth).expect(403);
        expect(res.body.code).to.equal('AUTH.SELF_OR_ADMIN_REQUIRED');
        expect(JSON.stringify(res.body)).not.to.include(victim.user.email);
      }
    });

    it('404 for an admin asking for an id nobody has; 400 naming id when malformed', async () => {
      const admin = await svc.admin();
      expect((await svc.request().get(`/api/users/${randomUUID()}`).set('Authorization', admin.auth).expect(404)).body.code).to.equal('USER.NOT_FOUND');
      expect(paths(await svc.request().get('/api/users/12345').set('Authorization', admin.auth).expect(400))).to.deep.equal(['id']);
    });
  });

  describe('PATCH /api/users/:id/role (admin)', () => {
    it('200: an admin promotes an attendee, whose next refresh carries the role', async () => {
      const admin = await svc.admin();
      const member = await svc.attendee();
      const res = await svc.request().patch(`/api/users/${member.user.id}/role`).set('Authorization', admin.auth).send({ role: 'organizer' }).expect(200);
      expect(res.body).to.include({ role: 'organizer', version: 2 });
      expect(res.headers['etag']).to.equal('"2"');
      const refreshed = await svc.request().post('/api/auth/refresh').send({ refreshToken: member.tokens.refreshToken }).expect(200);
      expect(refreshed.body.user.role).to.equal('organizer');
    });

    it('403 for a non-admin, on anyone including themselves; the role stays', async () => {
      const member = await svc.attendee();
      const other = await svc.attendee();
      for (const target of [member.user.id, other.user.id]) {
        const res = await svc.request().patch(`/api/users/${target}/role`).set('Authorization', member.auth).send({ role: 'admin' }).expect(403);
        expect(res.body.code).to.equal('AUTH.ADMIN_REQUIRED');
      }
      expect(svc.store.state.users.get(member.user.id)?.role).to.equal('attendee');
    });

    it('409 on a stale If-Match or body version, and 409 USER.LAST_ADMIN for the last admin', async () => {
      const admin = await svc.admin();
      const member = await svc.attendee();
      await svc.request().patch(`/api/users/${member.user.id}/role`).set('Authorization', admin.auth).set('If-Match', '"1"').send({ role: 'organizer' }).expect(200);
      expect((await svc.request().patch(`/api/users/${member.user.id}/role`).set('Authorization', admin.auth).set('If-Match', '"1"').send({ role: 'admin' }).expect(409)).body.code).to.equal('USER.STALE_VERSION');
      await svc.request().patch(`/api/users/${member.user.id}/role`).set('Authorization', admin.auth).send({ role: 'admin', version: 1 }).expect(409);
      expect((await svc.request().patch(`/api/users/${admin.user.id}/role`).set('Authorization', admin.auth).send({ role: 'attendee' }).expect(409)).body.code).to.equal('USER.LAST_ADMIN');
    });

    it('404 for an unknown id; 400 naming id, role and version', async () => {
      const admin = await svc.admin();
      expect((await svc.request().patch(`/api/users/${randomUUID()}/role`).set('Authorization', admin.auth).send({ role: 'organizer' }).expect(404)).body.code).to.equal('USER.NOT_FOUND');
      expect(paths(await svc.request().patch('/api/users/nope/role').set('Authorization', admin.auth).send({ role: 'organizer' }).expect(400))).to.deep.equal(['id']);
      expect(paths(await svc.request().patch(`/api/users/${admin.user.id}/role`).set('Authorization', admin.auth).send({ role: 'superuser' }).expect(400))).to.deep.equal(['role']);
      expect(paths(await svc.request().patch(`/api/users/${admin.user.id}/role`).set('Authorization', admin.auth).send({ role: 'admin', version: -1 }).expect(400))).to.deep.equal(['version']);
    });
  });

  describe('POST /api/users/me/enrollments', () => {
    it('202 {eventId, userId, status: pending} and user.enrolled in the outbox', async () => {
      const { user, auth } = await svc.attendee();
      const eventId = randomUUID();
      const res = await svc.request().post('/api/users/me/enrollments').set('Authorization', auth).send({ eventId }).expect(202);
      conforms(EnrollmentRequestViewCodec, res.body);
      expect(res.body).to.deep.equal({ eventId, userId: user.id, status: 'pending' });
      const message = svc.store.pending().at(-1)!;
      expect(message.envelope.type).to.equal('user.enrolled');
      expect(message.envelope.data).to.include({ eventId, userId: user.id });
    });

    it('carries the request id into the message as correlationId', async () => {
      const { auth } = await svc.attendee();
      await svc.request().post('/api/users/me/enrollments').set('Authorization', auth).set('X-Request-Id', 'req-enroll-42').send({ eventId: randomUUID() }).expect(202);
      expect(svc.store.pending().at(-1)!.envelope.correlationId).to.equal('req-enroll-42');
    });

    it('400 naming eventId', async () => {
      const { auth } = await svc.attendee();
      for (const body of [{ eventId: 'not-a-uuid' }, {}, { eventId: randomUUID(), seats: 2 }]) {
        const res = await svc.request().post('/api/users/me/enrollments').set('Authorization', auth).send(body).expect(400);
        expect(paths(res).some((p) => p === 'eventId' || p === 'seats')).to.equal(true);
      }
    });
  });

  describe('DELETE /api/users/me/enrollments/:eventId', () => {
    it('202 {eventId, userId, status: pending} and user.unenrolled in the outbox', async () => {
      const { user, auth } = await svc.attendee();
      const eventId = randomUUID();
      const res = await svc.request().delete(`/api/users/me/enrollments/${eventId}`).set('Authorization', auth).expect(202);
      expect(res.body).to.deep.equal({ eventId, userId: user.id, status: 'pending' });
      expect(svc.store.pending().at(-1)!.envelope.type).to.equal('user.unenrolled');
    });

    it('400 naming eventId when malformed', async () => {
      const { auth } = await svc.attendee();
      expect(paths(await svc.request().delete('/api/users/me/enrollments/nope').set('Authorization', auth).expect(400))).to.deep.equal(['eventId']);
    });
  });
});
