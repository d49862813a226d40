import { expect } from 'chai';
import { Metadata } from '@grpc/grpc-js';
import { CALLER_KEY, REQUEST_ID_KEY, callerOf, outgoingMetadata, requestIdOf } from './metadata.js';

describe('@grpc metadata', () => {
  it('carries the request id and the caller with the acting user', () => {
    const metadata = outgoingMetadata({ requestId: 'req-42', caller: { service: 'event-service', userId: '00000000-0000-4000-8000-000000000001' } });
    expect(metadata.get(REQUEST_ID_KEY)).to.deep.equal(['req-42']);
    expect(metadata.get(CALLER_KEY)).to.deep.equal(['event-service;user=00000000-0000-4000-8000-000000000001']);
    expect(requestIdOf(metadata)).to.equal('req-42');
    expect(callerOf(metadata)).to.deep.equal({ service: 'event-service', userId: '00000000-0000-4000-8000-000000000001' });
  });

  it('names only the service when no user acts', () => {
    const metadata = outgoingMetadata({ requestId: null, caller: { service: 'session-service', userId: null } });
    expect(metadata.get(CALLER_KEY)).to.deep.equal(['session-service']);
    expect(callerOf(metadata)).to.deep.equal({ service: 'session-service', userId: null });
  });

  it('replaces a missing or unsafe request id with a fresh UUID', () => {
    for (const requestId of [null, '', 'has spaces', 'x'.repeat(200), 'line\nbreak']) {
      const sent = requestIdOf(outgoingMetadata({ requestId, caller: { service: 'event-service', userId: null } }));
      expect(sent, String(requestId)).to.match(/^[0-9a-f-]{36}$/);
    }
  });

  it('ignores malformed caller metadata instead of trusting it', () => {
    const metadata = new Metadata();
    metadata.set(CALLER_KEY, 'Not A Service;user=x');
    expect(callerOf(metadata)).to.equal(null);
    metadata.set(CALLER_KEY, 'event-service;user=<script>');
    expect(callerOf(metadata)).to.deep.equal({ service: 'event-service', userId: null });
    expect(callerOf(new Metadata())).to.equal(null);
  });
});
