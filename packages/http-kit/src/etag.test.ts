import { expect } from 'chai';
import { requestTo } from './testing/request.js';
import { demoApp, SAMPLE_TALK } from './test-support.js';
import { etagOf } from './etag.js';

const TALK = '/talks/5b0f4b2e-3f3c-4a8e-9b7e-2f1d6c0a9e11';

describe('etagOf / expectedVersion', () => {
  it('etagOf quotes the version as a strong ETag', () => {
    expect(etagOf(3)).to.equal('"3"');
  });

  it('reads the version from If-Match, from the body, or neither', async () => {
    const { app } = demoApp();
    expect((await requestTo(app).patch(TALK).set('If-Match', '"4"').send(SAMPLE_TALK).expect(200)).body.expected).to.equal(4);
    expect((await requestTo(app).patch(TALK).send({ ...SAMPLE_TALK, version: 6 }).expect(200)).body.expected).to.equal(6);
    expect((await requestTo(app).patch(TALK).set('If-Match', '"6"').send({ ...SAMPLE_TALK, version: 6 }).expect(200)).body.expected).to.equal(6);
    expect((await requestTo(app).patch(TALK).send(SAMPLE_TALK).expect(200)).body.expected).to.equal(null);
    expect((await requestTo(app).patch(TALK).set('If-Match', '*').send(SAMPLE_TALK).expect(200)).body.expected).to.equal(null);
  });

  it('answers 400 for a malformed, weak or multiple If-Match', async () => {
    const { app } = demoApp();
    for (const header of ['4', 'W/"4"', '"4", "5"', '"abc"', '"0"', '"-1"']) {
      const res = await requestTo(app).patch(TALK).set('If-Match', header).send(SAMPLE_TALK).expect(400);
      expect(res.body.code, header).to.equal('REQUEST.INVALID_IF_MATCH');
      expect(res.body.errors[0].path).to.equal('If-Match');
    }
  });

  it('answers 400 when If-Match and the body version disagree', async () => {
    const { app } = demoApp();
    const res = await requestTo(app).patch(TALK).set('If-Match', '"4"').send({ ...SAMPLE_TALK, version: 5 }).expect(400);
    expect(res.body.code).to.equal('REQUEST.VERSION_MISMATCH');
    expect(res.body.errors).to.deep.equal([{ path: 'version', message: 'disagrees with If-Match (4)' }]);
  });
});
