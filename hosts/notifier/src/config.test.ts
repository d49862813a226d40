import { expect } from 'chai';
import { ConfigurationError } from '@conference/http-kit';
import { loadNotifierConfig, mailConfigOf } from './config.js';

const required = { DATABASE_URL: 'postgres://notifier@db:5432/notifier_db', JWKS_URL: 'http://user-service:3000/api/auth/jwks.json' };

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadNotifierConfig(env);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    return error.problems.map((p) => p.variable);
  }
};

describe('notifier configuration', () => {
  it('needs DATABASE_URL and JWKS_URL; defaults to port 3005, the platform issuer and audience, a file mailbox', () => {
    expect(problemsOf({})).to.have.members(['DATABASE_URL', 'JWKS_URL']);
    const config = loadNotifierConfig(required);
    expect(config).to.include({ PORT: 3005, JWT_ISSUER: 'urn:conference:user-service', JWT_AUDIENCE: 'urn:conference:api', MAIL: 'file', AMQP_EXCHANGE: 'conference', LOG_LEVEL: 'info' });
    expect(mailConfigOf(config)).to.deep.include({ kind: 'file', directory: '.data/mailbox' });
  });

  it('MAILBOX_DIR (compose) keeps the file mailbox; SMTP_URL alone (k8s) switches to SMTP; MAIL=smtp without it is refused', () => {
    expect(mailConfigOf(loadNotifierConfig({ ...required, MAILBOX_DIR: '/app/.data/mailbox' }))).to.deep.include({ kind: 'file', directory: '/app/.data/mailbox' });
    expect(mailConfigOf(loadNotifierConfig({ ...required, SMTP_URL: 'smtps://mailer:p%40ss@smtp.example.org' }))).to.deep.include({
      kind: 'smtp', host: 'smtp.example.org', port: 465, secure: true, auth: { user: 'mailer', pass: 'p@ss' },
    });
    expect(mailConfigOf(loadNotifierConfig({ ...required, SMTP_URL: 'smtp://mail:1025' }))).to.deep.include({ kind: 'smtp', host: 'mail', port: 1025, secure: false });
    expect(loadNotifierConfig({ ...required, MAIL: 'file', SMTP_URL: 'smtp://mail:1025' }).MAIL).to.equal('file');
    expect(problemsOf({ ...required, MAIL: 'smtp' })).to.deep.equal(['SMTP_URL']);
    expect(problemsOf({ ...required, MAIL: 'pigeon', SMTP_URL: 'http://mail' })).to.have.members(['MAIL', 'SMTP_URL']);
  });
});
