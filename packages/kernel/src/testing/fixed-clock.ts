import type { Clock } from '../clock.js';

/** A clock that stands still until told to move. */
export class FixedClock implements Clock {
  private current: Date;
  constructor(start: Date | string = '2026-01-01T09:00:00Z') {
    this.current = new Date(start);
  }
  now(): Date {
    return new Date(this.current);
  }
  set(to: Date | string): void {
    this.current = new Date(to);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
