import { expect } from 'chai';
import { normaliseTarget } from './client.js';

describe('@grpc targets', () => {
  it('passes scheme targets through and turns a bare IPv4 list into ipv4:', () => {
    expect(normaliseTarget('dns:///session-service:50051')).to.equal('dns:///session-service:50051');
    expect(normaliseTarget('ipv4:127.0.0.1:50051,127.0.0.1:50052')).to.equal('ipv4:127.0.0.1:50051,127.0.0.1:50052');
    expect(normaliseTarget(' speaker-service:50051 ')).to.equal('speaker-service:50051');
    expect(normaliseTarget('127.0.0.1:50051, 127.0.0.1:50052')).to.equal('ipv4:127.0.0.1:50051,127.0.0.1:50052');
  });

  it('fails at start-up on a target it cannot use', () => {
    expect(() => normaliseTarget('')).to.throw(/empty/);
    expect(() => normaliseTarget('speaker-service')).to.throw(/host:port/);
    expect(() => normaliseTarget('a:1,b:2')).to.throw(/dns:\/\/\//);
    expect(() => normaliseTarget('127.0.0.1:70000')).to.throw(/host:port/);
  });
});
