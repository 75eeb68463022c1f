/**
 * A fake clock for runs whose waits must cost their full seconds without taking them. Time moves
 * only when every piece of work is asleep: then the earliest sleeper wakes and the clock jumps to
 * its wake time. One branch sleeping alone jumps at once; branches of a Map running side by side
 * (the portfolio's groups) each wait their own seconds in parallel instead of adding them up.
 */
export class VirtualClock {
  ms: number;
  private busy = 0;
  private sleepers: Array<{ wakeMs: number; wake: () => void }> = [];
  private timer: NodeJS.Timeout | null = null;

  /**
   * @param idleMs How long nothing must run before the clock jumps. The interpreter needs a few real
   * ms between one Task and the next (Choice, Pass, a Wait shortened to 1 ms); a jump inside that gap
   * would wake a sleeper before a branch still on its way to sleep.
   */
  constructor(startMs: number, private readonly idleMs = 4) {
    this.ms = startMs;
  }

  readonly now = (): number => this.ms;

  /** Sleeps `ms` of clock time from now, outside any work. */
  readonly sleep = (ms: number): Promise<void> =>
    new Promise((wake) => {
      this.sleepers.push({ wakeMs: this.ms + ms, wake });
      this.schedule();
    });

  /** Sleeps from inside work (the client pacing itself to the rate limit): the work stands aside meanwhile. */
  readonly sleepWithin = async (ms: number): Promise<void> => {
    this.busy -= 1;
    try {
      await this.sleep(ms);
    } finally {
      this.busy += 1;
    }
  };

  /** Work that takes no clock time; while any runs, the clock stands still. */
  async work<T>(run: () => Promise<T>): Promise<T> {
    this.busy += 1;
    try {
      return await run();
    } finally {
      this.busy -= 1;
      this.schedule();
    }
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.busy > 0 || this.sleepers.length === 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.busy > 0 || this.sleepers.length === 0) return;
      const earliest = Math.min(...this.sleepers.map((sleeper) => sleeper.wakeMs));
      const due = this.sleepers.filter((sleeper) => sleeper.wakeMs === earliest);
      this.sleepers = this.sleepers.filter((sleeper) => sleeper.wakeMs !== earliest);
      this.ms = Math.max(this.ms, earliest);
      for (const sleeper of due) sleeper.wake();
      // A woken sleeper that does no work (a branch at its end) must not strand the others.
      this.schedule();
    }, this.idleMs);
  }
}
