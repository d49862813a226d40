import { expect } from 'chai';
import type { DomainError } from '@conference/kernel';
import { SPEAKER_DIRECTORY_UNAVAILABLE, SpeakersNotFoundError, type SpeakerDirectory, type SpeakerSummary } from '../ports/speaker-directory.js';

/** What a SpeakerDirectory adapter under test gives the suite. */
export interface SpeakerDirectoryFixture {
  readonly directory: SpeakerDirectory;
  /** At least three speakers the directory knows (ids are lowercase UUIDs). */
  readonly known: readonly SpeakerSummary[];
  /** A directory of the same kind whose peer cannot be reached (e.g. a gRPC client aimed at a closed port). */
  unreachable(): Promise<SpeakerDirectory>;
  close?(): Promise<void>;
}

const UNKNOWN_1 = '00000000-0000-4000-8000-00000000fff1';
const UNKNOWN_2 = '00000000-0000-4000-8000-00000000fff2';
const summary = (s: SpeakerSummary): SpeakerSummary => ({ id: s.id, name: s.name, headline: s.headline, company: s.company });

/** Every SpeakerDirectory adapter (in-memory, gRPC) must pass this. */
export function speakerDirectoryContract(name: string, makeFixture: () => Promise<SpeakerDirectoryFixture>): void {
  describe(`SpeakerDirectory contract: ${name}`, () => {
    let fixture: SpeakerDirectoryFixture;
    let a: SpeakerSummary, b: SpeakerSummary, c: SpeakerSummary;
    beforeEach(async () => {
      fixture = await makeFixture();
      const [first, second, third] = fixture.known;
      if (!first || !second || !third) throw new Error('the fixture must know at least three speakers');
      [a, b, c] = [first, second, third];
    });
    afterEach(async () => { await fixture.close?.(); });

    it('answers every known speaker in the order asked', async () => {
      const answer = await fixture.directory.getSpeakers([c.id, a.id, b.id]);
      expect(answer.ok).to.equal(true);
      if (answer.ok) expect(answer.value.map(summary)).to.deep.equal([c, a, b].map(summary));
    });

    it('answers a single speaker', async () => {
      const answer = await fixture.directory.getSpeakers([b.id]);
      expect(answer.ok && answer.value.map(summary)).to.deep.equal([summary(b)]);
    });

    it('answers a repeated id once, at its first position', async () => {
      const answer = await fixture.directory.getSpeakers([b.id, a.id, b.id, a.id]);
      expect(answer.ok && answer.value.map((s) => s.id)).to.deep.equal([b.id, a.id]);
    });

    it('answers [] for no ids', async () => {
      expect(await fixture.directory.getSpeakers([])).to.deep.equal({ ok: true, value: [] });
    });

    it('fails with SpeakersNotFoundError listing every unknown id once, in the order asked', async () => {
      const answer = await fixture.directory.getSpeakers([a.id, UNKNOWN_2, b.id, UNKNOWN_1, UNKNOWN_2]);
      expect(answer.ok).to.equal(false);
      if (answer.ok) return;
      expect(answer.error).to.be.instanceOf(SpeakersNotFoundError);
      expect(answer.error.kind).to.equal('not_found');
      expect((answer.error as SpeakersNotFoundError).missingIds).to.deep.equal([UNKNOWN_2, UNKNOWN_1]);
    });

    it('fails with SpeakersNotFoundError when no id is known', async () => {
      const answer = await fixture.directory.getSpeakers([UNKNOWN_1]);
      expect(!answer.ok && (answer.error as SpeakersNotFoundError).missingIds).to.deep.equal([UNKNOWN_1]);
    });

    it('fails with an unavailable error, without throwing, when the peer cannot be reached', async () => {
      const down = await fixture.unreachable();
      const answer = await down.getSpeakers([a.id]);
      expect(answer.ok).to.equal(false);
      const error = (answer as { error: DomainError }).error;
      expect(error.kind).to.equal('unavailable');
      expect(error.code).to.equal(SPEAKER_DIRECTORY_UNAVAILABLE);
    });
  });
}
