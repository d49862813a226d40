// The contract suites every adapter of this package's ports must pass. They use mocha and chai,
// so they live apart from the in-memory adapters, which hosts also load outside tests.
export { auditLogContract, type AuditLogFixture } from './audit-log-contract.js';
export { sentEmailsContract, type SentEmailsFixture } from './sent-emails-contract.js';
export { mailerContract, type MailerFixture, type DeliveredEmail } from './mailer-contract.js';
