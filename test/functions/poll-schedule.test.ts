/** The adaptive poll schedule: pure, with a fake clock. */
import { describe, expect, it } from 'vitest';
import { nextWaitSeconds, pollsWithin } from '../../functions/shared/poll-schedule.js';

const base = { pollIntervalSeconds: 5, maxPollIntervalSeconds: 60, startedAtMs: 0, deadlineMs: 7_200_000 };

/** The waits the schedule chooses for a task that never reports progress, until `untilSeconds`. */
function waitsWithoutProgress(untilSeconds: number): number[] {
  const waits: number[] = [];
  let now = 0;
  let previous: number | null = null;
  while (now < untilSeconds * 1000) {
    const wait = nextWaitSeconds({ ...base, previousWaitSeconds: previous, nowMs: now });
    waits.push(wait);
    now += wait * 1000;
    previous = wait;
  }
  return waits;
}

describe('the poll schedule', () => {
  it('starts at the interval and grows ×1.5 to the cap', () => {
    expect(waitsWithoutProgress(400)).toEqual([5, 8, 12, 18, 27, 41, 60, 60, 60, 60, 60]);
  });

  it('aims at the end Mangrove\u2019s progress predicts, never below the interval or above the grown wait', () => {
    // 40 % after 20 s: about 30 s to go, but the wait may grow only to 8 s.
    expect(nextWaitSeconds({ ...base, previousWaitSeconds: 5, nowMs: 20_000, progress: 40 })).toBe(8);
    // 95 % after 600 s: about 32 s to go, sooner than the 60 s cap.
    expect(nextWaitSeconds({ ...base, previousWaitSeconds: 60, nowMs: 600_000, progress: 95 })).toBe(32);
    // Nearly done: the interval, not less.
    expect(nextWaitSeconds({ ...base, previousWaitSeconds: 60, nowMs: 600_000, progress: 99.9 })).toBe(5);
  });

  it('detects a 15 s task that reports progress within 5 s of its end', () => {
    // Progress grows linearly to 100 % at 15 s.
    let now = 0;
    let previous: number | null = null;
    let polls = 0;
    for (;;) {
      const wait: number = nextWaitSeconds({ ...base, previousWaitSeconds: previous, nowMs: now, progress: polls === 0 ? null : Math.min(100, (now / 15_000) * 100) });
      now += wait * 1000;
      previous = wait;
      polls += 1;
      if (now >= 15_000) break;
    }
    expect(now - 15_000).toBeLessThanOrEqual(5_000);
  });

  it('never sleeps past the deadline: the last poll lands on it', () => {
    expect(nextWaitSeconds({ ...base, previousWaitSeconds: 60, nowMs: 7_197_000 })).toBe(3);
  });

  it('makes at most 130 polls for a 2 h wait, whatever interval from 2 s', () => {
    for (const interval of [2, 3, 5, 30]) expect(pollsWithin(7_200, interval, 60), `${interval} s`).toBeLessThanOrEqual(130);
    expect(pollsWithin(7_200, 30, 30)).toBe(241);
  });
});
