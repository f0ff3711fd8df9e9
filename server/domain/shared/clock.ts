/** Time as a dependency, so tests pass a fixed clock instead of mocking modules. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(at: Date | string): Clock & { set(at: Date | string): void; advance(ms: number): void } {
  let t = new Date(at).getTime();
  return {
    now: () => new Date(t),
    set: (d) => {
      t = new Date(d).getTime();
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

/**
 * `base` shifted by `ms` milliseconds (CLOCK_OFFSET_DAYS: a demo or test server that lives in next
 * month, so the month can be closed). An offset of 0 returns `base` itself.
 */
export function offsetClock(base: Clock, ms: number): Clock {
  if (!Number.isFinite(ms)) throw new RangeError(`offsetClock: the offset must be a finite number of milliseconds, got ${ms}`);
  if (ms === 0) return base;
  return { now: () => new Date(base.now().getTime() + ms) };
}
