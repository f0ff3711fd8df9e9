import { fixedClock, offsetClock, systemClock } from "../../server/domain/shared/clock";

const DAY_MS = 86_400_000;

describe("offsetClock", () => {
  it("reads the base clock shifted by the offset, following the base as it moves", () => {
    const base = fixedClock("2026-03-29T15:00:00.000Z");
    const clock = offsetClock(base, 5 * DAY_MS);
    expect(clock.now().toISOString()).toBe("2026-04-03T15:00:00.000Z");
    base.advance(60_000);
    expect(clock.now().toISOString()).toBe("2026-04-03T15:01:00.000Z");
  });

  it("shifts backwards with a negative offset", () => {
    expect(offsetClock(fixedClock("2026-03-01T00:00:00.000Z"), -DAY_MS).now().toISOString()).toBe("2026-02-28T00:00:00.000Z");
  });

  it("returns the base clock itself for an offset of 0", () => {
    expect(offsetClock(systemClock, 0)).toBe(systemClock);
  });

  it("refuses an offset that is not a finite number", () => {
    expect(() => offsetClock(systemClock, Number.NaN)).toThrow(RangeError);
    expect(() => offsetClock(systemClock, Infinity)).toThrow(/finite number of milliseconds/);
  });
});
