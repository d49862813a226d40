import { expect } from 'chai';
import { checkProfile, isHttpUrl, type SpeakerProfile } from './speaker-profile.js';

const profile = (overrides: Partial<SpeakerProfile> = {}): SpeakerProfile => ({
  name: 'Ada', headline: '', bio: '', company: '', links: [], userId: null, ...overrides,
});

describe('speaker profile rules', () => {
  it('accepts absolute http and https URLs', () => {
    for (const url of ['https://ada.example', 'http://ada.example/talks?id=1#x', 'https://sub.ada.example:8443/p', 'https://[::1]/']) {
      expect(isHttpUrl(url), url).to.equal(true);
    }
  });

  it('refuses other schemes, relative URLs, control characters and URLs over 2000 characters', () => {
    const refused = [
      'javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'java\nscript:alert(1)', 'data:text/html,<b>x</b>', 'ftp://ada.example',
      'mailto:ada@example.org', '//ada.example', '/relative', 'ada.example', '', 'https://ada.example/\u0000',
      `https://ada.example/${'p'.repeat(1981)}`,
    ];
    for (const url of refused) expect(isHttpUrl(url), JSON.stringify(url)).to.equal(false);
    expect(isHttpUrl(`https://ada.example/${'p'.repeat(1980)}`)).to.equal(true);
  });

  it('trims text, link labels and URLs, and lowercases the user id', () => {
    const checked = checkProfile(profile({
      name: ' Ada ', headline: ' h ', links: [{ label: ' Site ', url: ' https://ada.example ' }], userId: '0A5E0000-0000-4000-9000-000000000001',
    }));
    expect(checked.issues).to.deep.equal([]);
    expect(checked.profile).to.deep.equal(profile({
      name: 'Ada', headline: 'h', links: [{ label: 'Site', url: 'https://ada.example' }], userId: '0a5e0000-0000-4000-9000-000000000001',
    }));
  });

  it('enforces every length limit', () => {
    const checked = checkProfile(profile({
      name: 'n'.repeat(201), headline: 'h'.repeat(201), bio: 'b'.repeat(5001), company: 'c'.repeat(201),
      links: [{ label: '', url: 'https://a.example' }, { label: 'l'.repeat(51), url: 'https://b.example' }],
    }));
    expect(checked.issues.map((i) => i.path)).to.deep.equal(['name', 'headline', 'bio', 'company', 'links[0].label', 'links[1].label']);
  });
});
