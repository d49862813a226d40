import type { MessageType } from '@conference/messages';

/**
 * The queues of the event service (DESIGN §4: `<service>.<purpose>`), which are also the inbox
 * consumer names, and the routing keys each is bound to.
 */
export const ENROLLMENT_CONSUMER = 'event.enrollments';
export const PROGRAMME_CONSUMER = 'event.programme';

export const EVENT_SERVICE_SUBSCRIPTIONS: Readonly<Record<string, readonly MessageType[]>> = {
  [ENROLLMENT_CONSUMER]: ['user.enrolled', 'user.unenrolled'],
  [PROGRAMME_CONSUMER]: ['session.created', 'session.updated', 'session.deleted'],
};

/** What a message handler returns: `duplicate` when the inbox had already seen the message id. */
export type Handled<T> = { readonly duplicate: true } | ({ readonly duplicate: false } & T);

export const DUPLICATE = { duplicate: true } as const;
