import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Frameworks, drivers and hosts: the domain packages must not know they exist. */
const infrastructure = ['koa', 'koa-*', '@koa/*', 'pg', 'pg-*', 'slonik', '@slonik/*', 'amqplib', '@grpc/*', 'inversify', '@inversifyjs/*', 'reflect-metadata', 'pino', 'prom-client', 'nodemailer', '@electric-sql/*'];
const contexts = ['user', 'event', 'session', 'speaker', 'notifications'];
const domainRule = (context) => ({
  files: [`packages/${context}/src/**/*.ts`],
  rules: {
    'no-restricted-imports': ['error', {
      patterns: [
        { group: infrastructure, message: 'Domain packages import no framework, driver or host: declare a port instead.' },
        { group: ['@conference/*', '!@conference/kernel', '!@conference/kernel/testing', '!@conference/messages'], message: 'A bounded context imports only the kernel and the message contracts, never another context or an adapter.' },
        { group: ['**/hosts/**', '../../*/**'], message: 'Domain packages never reach into hosts or sibling packages.' },
      ],
    }],
  },
});

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.data/**', '.stack/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', structuredClone: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  ...contexts.map(domainRule),
  {
    files: ['packages/kernel/src/**/*.ts', 'packages/messages/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: infrastructure, message: 'The kernel is pure: no framework, driver or host.' },
          { group: ['@conference/*', '!@conference/kernel'], message: 'The kernel depends on nothing of ours.' },
        ],
      }],
    },
  },
  {
    // What a host loads in production must not need a devDependency: the image installs with --omit=dev.
    files: ['hosts/*/src/**/*.ts'],
    ignores: ['**/*.test.ts', '**/*-test-kit.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['chai', 'sinon', 'mocha', 'supertest', '@conference/*/contracts', '@conference/http-kit/testing', '@conference/*/testing/contracts'], message: 'Test-only code in a host module: production installs omit devDependencies. Keep it in *.test.ts or a *-test-kit.ts.' },
        ],
      }],
    },
  },
);
