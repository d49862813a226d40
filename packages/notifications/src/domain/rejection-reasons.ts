/**
 * The reason codes of enrollment.rejected (the event service's RejectionReasons; stable codes, so
 * they are phrased here rather than sent as text) turned into a sentence for the attendee.
 * A code this list does not know yet still gets a sentence: a new reason must not stop the email.
 */
const SENTENCES: Readonly<Record<string, string>> = {
  'ENROLLMENT.EVENT_NOT_FOUND': 'We could not find the event you asked to join. It may have been deleted, or the link you used may be wrong.',
  'ENROLLMENT.EVENT_NOT_PUBLISHED': 'The event is not open for enrollment yet. Please try again once the organizer has published it.',
  'ENROLLMENT.EVENT_CANCELLED': 'The event has been cancelled, so it no longer takes enrollments.',
  'ENROLLMENT.EVENT_STARTED': 'The event has already started, so it no longer takes enrollments.',
};

export const KNOWN_REJECTION_REASONS: readonly string[] = Object.keys(SENTENCES);

export function rejectionSentence(reason: string | null): string {
  if (reason !== null && Object.hasOwn(SENTENCES, reason)) return SENTENCES[reason]!;
  return 'The event could not accept your enrollment.';
}
