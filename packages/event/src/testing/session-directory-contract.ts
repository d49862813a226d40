import { expect } from 'chai';
import type { SessionSummary } from '../domain/programme.js';
import type { SessionDirectory } from '../ports/session-directory.js';
import { uuid } from './contract-support.js';

/** What an adapter of SessionDirectory gives the suite: the directory, sessions it knows, and a way to make its peer unreachable. */
export interface SessionDirectoryFixture {
  readonly directory: SessionDirectory;
  /** At least one session the peer knows, as the directory must describe it. */
  readonly known: readonly SessionSummary[];
  /** Makes the peer unreachable (stop the server, close the port, ...). */
  goOffline(): Promise<void>;
  close?(): Promise<void>;
}

/** Every adapter of SessionDirectory (in-memory, gRPC client) must pass this. */
export function sessionDirectoryContract(name: string, makeFixture: () => Promise<SessionDirectoryFixture>): void {
  describe(`SessionDirectory contract: ${name}`, () => {
    let fixture: SessionDirectoryFixture;
    beforeEach(async () => {
      fixture = await makeFixture();
    });
    afterEach(async () => {
      await fixture.close?.();
    });

    it('describes every session it knows, dates to the millisecond', async () => {
      expect(fixture.known).to.have.length.greaterThan(0);
      for (const session of fixture.known) {
        const result = await fixture.directory.validateSession(session.sessionId);
        expect(result).to.deep.equal({ ok: true, value: session });
      }
    });

    it('answers an unknown session with EVENT.SESSION_NOT_FOUND (unprocessable)', async () => {
      const result = await fixture.directory.validateSession(uuid(0xdead));
      expect(result.ok).to.equal(false);
      if (!result.ok) expect(result.error).to.include({ kind: 'unprocessable', code: 'EVENT.SESSION_NOT_FOUND' });
    });

    it('answers an id that is not a UUID the same way, without throwing', async () => {
      for (const id of ['not-a-uuid', '', "1' OR '1'='1"]) {
        const result = await fixture.directory.validateSession(id);
        expect(result.ok).to.equal(false);
        if (!result.ok) expect(result.error).to.include({ kind: 'unprocessable', code: 'EVENT.SESSION_NOT_FOUND' });
      }
    });

    it('answers EVENT.SESSION_DIRECTORY_UNAVAILABLE when the peer cannot be reached', async () => {
      await fixture.goOffline();
      const result = await fixture.directory.validateSession(fixture.known[0]!.sessionId);
      expect(result.ok).to.equal(false);
      if (!result.ok) expect(result.error).to.include({ kind: 'unavailable', code: 'EVENT.SESSION_DIRECTORY_UNAVAILABLE' });
    });
  });
}
