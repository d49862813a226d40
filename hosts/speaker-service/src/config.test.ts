import { expect } from 'chai';
import { ConfigurationError } from '@conference/http-kit';
import { loadSpeakerConfig } from './config.js';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadSpeakerConfig(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems.map((p) => p.variable);
    throw error;
  }
  return [];
};

describe('speaker-service configuration', () => {
  it('starts the memory profile with nothing else set', () => {
    expect(loadSpeakerConfig({ PROFILE: 'memory' })).to.deep.include({
      PROFILE: 'memory', PORT: 3004, GRPC_PORT: 50052, DB_POOL_SIZE: 10, LOG_LEVEL: 'info', SHUTDOWN_TIMEOUT_MS: 20_000, SHUTDOWN_DRAIN_MS: 0,
      DATABASE_URL: undefined, AMQP_URL: 'amqp://127.0.0.1:5672',
    });
  });

  it('needs DATABASE_URL and JWKS_URL in the postgres profile (the default), naming both', () => {
    expect(problemsOf({})).to.deep.equal(['DATABASE_URL', 'JWKS_URL']);
    const config = loadSpeakerConfig({ DATABASE_URL: 'postgres://speaker@db/speaker_db', JWKS_URL: 'http://user-service:3001/api/auth/jwks.json', SHUTDOWN_TIMEOUT_MS: '10s' });
    expect(config).to.deep.include({ PROFILE: 'postgres', SHUTDOWN_TIMEOUT_MS: 10_000 });
  });

  it('names every wrong value', () => {
    expect(problemsOf({
      PROFILE: 'embedded', PORT: 'abc', GRPC_PORT: '70000', DATABASE_URL: 'mysql://x', DB_POOL_SIZE: '0', LOG_LEVEL: 'loud',
      JWKS_URL: 'ftp://keys', AMQP_URL: 'http://broker', SHUTDOWN_TIMEOUT_MS: 'soon',
    })).to.have.members(['PROFILE', 'PORT', 'GRPC_PORT', 'DATABASE_URL', 'DB_POOL_SIZE', 'LOG_LEVEL', 'JWKS_URL', 'AMQP_URL', 'SHUTDOWN_TIMEOUT_MS']);
    expect(problemsOf({ PROFILE: 'memory', JWKS_JSON: '{"keys": 3}' })).to.deep.equal(['JWKS_JSON']);
    expect(problemsOf({ PROFILE: 'memory', JWKS_JSON: 'not json' })).to.deep.equal(['JWKS_JSON']);
    expect(problemsOf({ PROFILE: 'memory', SHUTDOWN_TIMEOUT_MS: '2s', SHUTDOWN_DRAIN_MS: '1500ms' })).to.deep.equal(['SHUTDOWN_DRAIN_MS']);
  });
});
