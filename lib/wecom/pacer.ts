// Pacing to a calls-per-minute budget: call starts are spaced at least 60 000 / budget ms apart.
// One pacer per corp id in a process (lib/wecom/client.ts shares it between the contact and the
// customer app's clients, which count against the same company), so a sync's calls together stay
// under the budget. The clock and the sleep are injectable so tests count waits, not time.

export type Clock = { now: () => number; sleep: (ms: number) => Promise<void> };
export const realClock: Clock = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

export class Pacer {
  private next = 0;
  /** Number of calls that had to wait, and the total wait asked for (ms). */
  waits = 0;
  waitedMs = 0;
  calls = 0;
  constructor(
    public callsPerMinute: number,
    private readonly clock: Clock = realClock,
  ) {}

  /** Resolves when the next call may start. */
  async slot(): Promise<void> {
    this.calls++;
    if (!(this.callsPerMinute > 0)) return;
    const interval = 60_000 / this.callsPerMinute;
    const now = this.clock.now();
    const at = Math.max(now, this.next);
    this.next = at + interval;
    const wait = at - now;
    if (wait > 0) {
      this.waits++;
      this.waitedMs += wait;
      await this.clock.sleep(wait);
    }
  }
}
