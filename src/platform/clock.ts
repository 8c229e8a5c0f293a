/** The one injectable clock. Tests pass a ManualClock; production uses systemClock. */
export interface Clock {
  now(): number; // epoch milliseconds
}
export const systemClock: Clock = { now: () => Date.now() };

export class ManualClock implements Clock {
  constructor(private t = Date.parse('2026-01-01T00:00:00Z')) {}
  now() {
    return this.t;
  }
  set(ms: number) {
    this.t = ms;
  }
  advance(ms: number) {
    this.t += ms;
  }
}

export const isoOf = (ms: number) => new Date(ms).toISOString();
