import { expect } from 'chai';
import { Metadata, status as Status } from '@grpc/grpc-js';
import { DomainError, StaleVersionError, type DomainErrorKind } from '@conference/kernel';
import { ERROR_CODE_KEY, domainErrorOf, kindOfStatus, statusOfDomainError, statusOfError } from './status.js';

describe('@grpc status mapping', () => {
  it('maps every DomainError kind to its one gRPC status', () => {
    const table: [DomainErrorKind, string, Status][] = [
      ['validation', 'SESSION.INVALID_ID', Status.INVALID_ARGUMENT],
      ['unauthorized', 'AUTH.TOKEN_EXPIRED', Status.UNAUTHENTICATED],
      ['forbidden', 'SESSION.FORBIDDEN', Status.PERMISSION_DENIED],
      ['not_found', 'SESSION.NOT_FOUND', Status.NOT_FOUND],
      ['conflict', 'SESSION.ALREADY_EXISTS', Status.ALREADY_EXISTS],
      ['conflict', 'SPEAKER.USER_ALREADY_LINKED', Status.ALREADY_EXISTS],
      ['conflict', 'SESSION.SPEAKER_DOUBLE_BOOKED', Status.ABORTED],
      ['unprocessable', 'SESSION.UNKNOWN_SPEAKER', Status.FAILED_PRECONDITION],
      ['unavailable', 'SESSION.SPEAKER_DIRECTORY_UNAVAILABLE', Status.UNAVAILABLE],
    ];
    for (const [kind, code, expected] of table) expect(statusOfError({ kind, code }), `${kind} ${code}`).to.equal(expected);
    expect(statusOfError(new StaleVersionError('session', 'x'))).to.equal(Status.ABORTED);
  });

  it('maps statuses back to kinds; every failure of the peer itself is unavailable, never a 500', () => {
    expect(kindOfStatus(Status.OK)).to.equal(null);
    expect(kindOfStatus(Status.INVALID_ARGUMENT)).to.equal('validation');
    expect(kindOfStatus(Status.OUT_OF_RANGE)).to.equal('validation');
    expect(kindOfStatus(Status.UNAUTHENTICATED)).to.equal('unauthorized');
    expect(kindOfStatus(Status.PERMISSION_DENIED)).to.equal('forbidden');
    expect(kindOfStatus(Status.NOT_FOUND)).to.equal('not_found');
    expect(kindOfStatus(Status.ALREADY_EXISTS)).to.equal('conflict');
    expect(kindOfStatus(Status.ABORTED)).to.equal('conflict');
    expect(kindOfStatus(Status.FAILED_PRECONDITION)).to.equal('unprocessable');
    for (const code of [Status.UNAVAILABLE, Status.DEADLINE_EXCEEDED, Status.RESOURCE_EXHAUSTED, Status.INTERNAL, Status.UNKNOWN, Status.UNIMPLEMENTED, Status.DATA_LOSS, Status.CANCELLED]) {
      expect(kindOfStatus(code), Status[code]).to.equal('unavailable');
    }
  });

  it('round-trips a DomainError through status, message and trailers', () => {
    const original = DomainError.validation('SPEAKER.INVALID_ID', 'speaker ids must be UUIDs', [{ path: 'ids[1]', message: 'must be a UUID — «not» one' }]);
    const sent = statusOfDomainError(original);
    expect(sent.code).to.equal(Status.INVALID_ARGUMENT);
    const back = domainErrorOf({ code: sent.code, details: sent.details, metadata: sent.metadata });
    expect(back).to.include({ code: 'SPEAKER.INVALID_ID', kind: 'validation', message: 'speaker ids must be UUIDs' });
    expect(back.issues).to.deep.equal(original.issues);
  });

  it('names a failure GRPC.<STATUS> when the trailers carry no (sane) code', () => {
    expect(domainErrorOf({ code: Status.UNAVAILABLE, details: 'No connection established', metadata: new Metadata() }))
      .to.include({ code: 'GRPC.UNAVAILABLE', kind: 'unavailable', message: 'No connection established' });
    const forged = new Metadata();
    forged.set(ERROR_CODE_KEY, 'drop table; --');
    expect(domainErrorOf({ code: Status.NOT_FOUND, details: '', metadata: forged })).to.include({ code: 'GRPC.NOT_FOUND', message: 'NOT_FOUND' });
  });
});
