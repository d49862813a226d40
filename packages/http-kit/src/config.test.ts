import { expect } from 'chai';
import * as t from 'io-ts';
import { ConfigurationError, envBoolean, envDuration, envList, envOptional, envPort, envPositiveInt, envString, envUrl, loadConfig } from './config.js';

const ServiceConfig = t.type({
  PORT: envPort(3000),
  DATABASE_URL: envUrl({ protocols: ['postgres:', 'postgresql:'] }),
  POOL_SIZE: envPositiveInt(10),
  SHUTDOWN_TIMEOUT: envDuration(20_000),
  CORS_ORIGINS: envList({ fallback: [] }),
  LOG_FORMAT: envList({ allowed: ['json', 'pretty'], fallback: ['json'] }),
  METRICS: envBoolean(true),
  JWT_PRIVATE_KEY: envString(),
  JWKS_URL: envOptional(envUrl()),
});

describe('loadConfig', () => {
  it('decodes variables and applies defaults for those unset or empty', () => {
    const config = loadConfig(ServiceConfig, {
      DATABASE_URL: 'postgres://u:p@localhost:5432/events',
      JWT_PRIVATE_KEY: '{"kty":"OKP"}',
      POOL_SIZE: '',
      SHUTDOWN_TIMEOUT: '5s',
      CORS_ORIGINS: 'https://a.example, https://b.example,',
      METRICS: 'off',
      UNRELATED: 'ignored',
    });
    expect(config).to.deep.equal({
      PORT: 3000,
      DATABASE_URL: 'postgres://u:p@localhost:5432/events',
      POOL_SIZE: 10,
      SHUTDOWN_TIMEOUT: 5000,
      CORS_ORIGINS: ['https://a.example', 'https://b.example'],
      LOG_FORMAT: ['json'],
      METRICS: false,
      JWT_PRIVATE_KEY: '{"kty":"OKP"}',
      JWKS_URL: undefined,
    });
  });

  it('names every wrong or missing variable and why, without echoing values', () => {
    let error: unknown;
    try {
      loadConfig(ServiceConfig, { PORT: '70000', DATABASE_URL: 'mysql://secret-password@db/x', POOL_SIZE: '0', SHUTDOWN_TIMEOUT: 'soon', LOG_FORMAT: 'json,xml', METRICS: 'maybe', JWKS_URL: 'not a url' });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(ConfigurationError);
    const { message, problems } = error as ConfigurationError;
    expect(problems).to.deep.equal([
      { variable: 'PORT', message: 'must be a port number (1-65535)' },
      { variable: 'DATABASE_URL', message: 'must be a postgres: or postgresql: URL' },
      { variable: 'POOL_SIZE', message: 'must be a whole number of at least 1' },
      { variable: 'SHUTDOWN_TIMEOUT', message: 'must be a duration such as 500ms, 30s, 5m or 1h' },
      { variable: 'LOG_FORMAT', message: 'may only contain json, pretty (not xml)' },
      { variable: 'METRICS', message: 'must be true or false' },
      { variable: 'JWT_PRIVATE_KEY', message: 'is required' },
      { variable: 'JWKS_URL', message: 'must be an absolute URL' },
    ]);
    expect(message).to.contain('PORT: must be a port number').and.contain('JWT_PRIVATE_KEY: is required');
    expect(message).not.to.contain('secret-password');
  });

  it('parses durations in ms, s, m and h, and a bare number as milliseconds', () => {
    const codec = t.type({ D: envDuration() });
    expect(['250ms', '2s', '1.5m', '1h', '300'].map((D) => loadConfig(codec, { D }).D)).to.deep.equal([250, 2000, 90_000, 3_600_000, 300]);
  });

  it('allows port 0 only when asked (tests let the OS choose)', () => {
    expect(() => loadConfig(t.type({ P: envPort() }), { P: '0' })).to.throw(ConfigurationError);
    expect(loadConfig(t.type({ P: envPort(undefined, { allowZero: true }) }), { P: '0' }).P).to.equal(0);
  });

  it('reads process.env by default', () => {
    process.env['HTTP_KIT_TEST_FLAG'] = 'yes';
    try {
      expect(loadConfig(t.type({ HTTP_KIT_TEST_FLAG: envBoolean() })).HTTP_KIT_TEST_FLAG).to.equal(true);
    } finally {
      delete process.env['HTTP_KIT_TEST_FLAG'];
    }
  });
});
