import type { Speaker } from '../domain/speaker.js';

/** Real UUIDs, lowercase, whose text order is their number order (as uuid comparison in SQL). */
export const speakerId = (n: number): string => `5b0c0000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
export const userId = (n: number): string => `0a5e0000-0000-4000-9000-${n.toString(16).padStart(12, '0')}`;

/** Speaker number `n`, created by user 900 at a fixed instant, version 1; `overrides` win. */
export const aSpeaker = (n: number, overrides: Partial<Speaker> = {}): Speaker => ({
  id: speakerId(n),
  name: `Speaker ${n}`,
  headline: '',
  bio: '',
  company: '',
  links: [],
  userId: null,
  createdBy: userId(900),
  createdAt: new Date('2026-01-02T03:04:05.678Z'),
  updatedAt: new Date('2026-01-02T03:04:05.678Z'),
  version: 1,
  ...overrides,
});
