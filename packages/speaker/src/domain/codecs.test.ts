import { expect } from 'chai';
import { decodeWith } from '@conference/kernel';
import { CreateSpeakerBody, UpdateSpeakerBody } from './codecs.js';

describe('speaker request codecs', () => {
  it('decodes a minimal create body and a full one, trimming text', () => {
    expect(decodeWith(CreateSpeakerBody, { name: ' Ada ' })).to.deep.equal({ ok: true, value: { name: 'Ada' } });
    const full = {
      name: 'Ada', headline: 'h', bio: 'b', company: 'c',
      links: [{ label: 'Site', url: 'https://ada.example' }], userId: '0a5e0000-0000-4000-9000-000000000001',
    };
    expect(decodeWith(CreateSpeakerBody, full)).to.deep.equal({ ok: true, value: full });
    expect(decodeWith(CreateSpeakerBody, { name: 'Ada', userId: null }).ok).to.equal(true);
  });

  it('refuses unknown fields, a javascript: link and a malformed user id with paths', () => {
    const result = decodeWith(CreateSpeakerBody, {
      name: 'Ada', role: 'admin', links: [{ label: 'ok', url: 'https://a.example' }, { label: 'x', url: 'javascript:alert(1)' }], userId: 'me',
    });
    if (result.ok) throw new Error('expected a failure');
    expect(result.error.issues.map((i) => i.path).sort()).to.deep.equal(['role']);
    const noUnknown = decodeWith(CreateSpeakerBody, { name: 'Ada', links: [{ label: 'x', url: 'javascript:alert(1)' }], userId: 'me' });
    if (noUnknown.ok) throw new Error('expected a failure');
    expect(noUnknown.error.issues.map((i) => i.path).sort()).to.deep.equal(['links[0].url', 'userId']);
  });

  it('refuses more than 10 links and a link with an unknown field', () => {
    const links = Array.from({ length: 11 }, (_, i) => ({ label: `l${i}`, url: `https://l${i}.example` }));
    const tooMany = decodeWith(CreateSpeakerBody, { name: 'Ada', links });
    if (tooMany.ok) throw new Error('expected a failure');
    expect(tooMany.error.issues).to.deep.equal([{ path: 'links', message: 'must have at most 10 items' }]);
    const extra = decodeWith(CreateSpeakerBody, { name: 'Ada', links: [{ label: 'x', url: 'https://x.example', rel: 'me' }] });
    if (extra.ok) throw new Error('expected a failure');
    expect(extra.error.issues.map((i) => i.path)).to.deep.equal(['links[0].rel']);
  });

  it('requires a name on create and a version on update', () => {
    const noName = decodeWith(CreateSpeakerBody, { headline: 'h' });
    const noVersion = decodeWith(UpdateSpeakerBody, { name: 'Ada' });
    if (noName.ok || noVersion.ok) throw new Error('expected failures');
    expect(noName.error.issues).to.deep.equal([{ path: 'name', message: 'is required' }]);
    expect(noVersion.error.issues).to.deep.equal([{ path: 'version', message: 'is required' }]);
    expect(decodeWith(UpdateSpeakerBody, { version: 2, userId: null })).to.deep.equal({ ok: true, value: { version: 2, userId: null } });
  });
});
