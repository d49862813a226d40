import { expect } from 'chai';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HEALTH_SERVICE, SESSION_SERVICE, SPEAKER_SERVICE, clientConstructor, loadContracts, protoDir, serviceDefinition } from './proto.js';

describe('@grpc proto loading', () => {
  it('finds the repository proto/ folder walking up from the package', () => {
    const dir = protoDir({});
    expect(dir).to.match(/proto$/);
    expect(Object.keys(serviceDefinition(SESSION_SERVICE, loadContracts(dir)))).to.deep.equal(['ValidateSession', 'GetSession']);
    expect(Object.keys(serviceDefinition(SPEAKER_SERVICE))).to.deep.equal(['GetSpeaker', 'BatchGetSpeakers']);
    expect(Object.keys(serviceDefinition(HEALTH_SERVICE))).to.deep.equal(['Check', 'Watch']);
    expect(clientConstructor(SPEAKER_SERVICE).service).to.have.property('BatchGetSpeakers');
  });

  it('honours PROTO_DIR, and fails at once when it points at no contracts', () => {
    const root = mkdtempSync(join(tmpdir(), 'proto-'));
    mkdirSync(join(root, 'grpc', 'health', 'v1'), { recursive: true });
    writeFileSync(join(root, 'grpc', 'health', 'v1', 'health.proto'), 'syntax = "proto3";');
    expect(protoDir({ PROTO_DIR: root })).to.equal(root);
    expect(() => protoDir({ PROTO_DIR: tmpdir() })).to.throw(/PROTO_DIR/);
    expect(() => protoDir({}, join(tmpdir(), 'nowhere', 'x.js'))).to.throw(/set PROTO_DIR/);
  });

  it('refuses a name that is not a service', () => {
    expect(() => serviceDefinition('conference.session.v1.Session')).to.throw(/not a service/);
    expect(() => serviceDefinition('conference.session.v9.SessionService')).to.throw(/not a service/);
  });
});
