import { DomainError } from '@conference/kernel';

export const NotificationErrors = {
  auditForbidden: (): DomainError => DomainError.forbidden('AUDIT.FORBIDDEN', 'Only admins may read the audit log'),
  invalidRange: (): DomainError =>
    DomainError.validation('AUDIT.INVALID_RANGE', 'The time range is not valid', [{ path: 'to', message: 'must not be before from' }]),
  /**
   * Another delivery of the same message is sending this email right now (two notifier instances, a
   * redelivery after a consumer crash). Transient: retried later it finds the email sent, or the
   * other attempt's claim expired and takes it over.
   */
  sendInProgress: (recipients: number): DomainError =>
    DomainError.unavailable('NOTIFICATION.SEND_IN_PROGRESS', `${recipients} email(s) of this message are being sent by another delivery; try again later`),
} as const;
