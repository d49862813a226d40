import { Writable } from 'node:stream';
import { expect } from 'chai';
import { createLogger } from './access-log.js';

describe('createLogger', () => {
  it('writes JSON lines with the service name and redacts credentials logged by mistake', () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({ write(chunk: Buffer, _e, done) { lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>); done(); } });
    const logger = createLogger('event', { level: 'debug' }, sink);
    logger.info({ headers: { authorization: 'Bearer abc' }, body: { password: 'hunter22222', refreshToken: 'r-1', title: 'ok' } }, 'oops');
    expect(lines[0]).to.include({ service: 'event', msg: 'oops' });
    expect(JSON.stringify(lines[0])).not.to.match(/abc|hunter2|r-1/);
    expect((lines[0]!['body'] as Record<string, unknown>)['title']).to.equal('ok');
  });
});
