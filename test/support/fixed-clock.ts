import type { Clock } from '../../src/runtime/clock.js';

export interface FixedClock extends Clock {
  advance(ms: number): void;
  set(ms: number): void;
}

export function fixedClock(start = Date.UTC(2026, 10, 23, 12, 0, 0)): FixedClock {
  let now = start;
  return {
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
    set: (ms) => {
      now = ms;
    },
  };
}
