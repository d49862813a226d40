import { expect } from 'chai';
import type { Speaker } from '../domain/speaker.js';
import { toPageView, toSummary, toView } from './speaker-view.js';

const ada: Speaker = {
  id: '5b0c0000-0000-4000-8000-000000000001',
  name: 'Ada',
  headline: 'Analyst',
  bio: 'Bio',
  company: 'Engines',
  links: [{ label: 'Site', url: 'https://ada.example' }],
  userId: null,
  createdBy: '0a5e0000-0000-4000-9000-000000000002',
  createdAt: new Date('2026-03-01T10:00:00.000Z'),
  updatedAt: new Date('2026-03-02T10:00:00.500Z'),
  version: 3,
};

describe('speaker views', () => {
  it('gives the JSON shape of /api/speakers: camelCase, ISO times, id and version', () => {
    const view = toView(ada);
    expect(JSON.parse(JSON.stringify(view))).to.deep.equal({
      id: ada.id,
      name: 'Ada',
      headline: 'Analyst',
      bio: 'Bio',
      company: 'Engines',
      links: [{ label: 'Site', url: 'https://ada.example' }],
      userId: null,
      createdBy: ada.createdBy,
      createdAt: '2026-03-01T10:00:00.000Z',
      updatedAt: '2026-03-02T10:00:00.500Z',
      version: 3,
    });
  });

  it('summarises a speaker for other services with id, name, headline and company only', () => {
    expect(toSummary(ada)).to.deep.equal({ id: ada.id, name: 'Ada', headline: 'Analyst', company: 'Engines' });
  });

  it('maps a page of speakers, keeping the cursor', () => {
    expect(toPageView({ items: [ada], nextCursor: 'abc' })).to.deep.equal({ items: [toView(ada)], nextCursor: 'abc' });
  });
});
