// Pacing to a calls-per-minute budget PER API: WeCom limits how often a company may call each API
// (its frequency-limit document counts per API path, per company), so the starts of calls to one
// path are spaced at least 60 000 / budget ms apart, and calls to different paths do not wait for
// each other. One pacer per corp id in a process (lib/wecom/connection.ts shares it between the
// contact and the customer app's clients, which count against the same company), so a sync's calls
// together stay under the budget. The clock and the sleep are injectable so tests count waits, not
// time.

export type Clock = { now: () => number; sleep: (ms: number) => Promise<void> };
export const realClock: Clock = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

export class Pacer {
  private readonly next = new Map<string, number>();
  /** Number of calls that had to wait, and the total wait asked for (ms). */
  waits = 0;
  waitedMs = 0;
  calls = 0;
  constructor(
    public callsPerMinute: number,
    private readonly clock: Clock = realClock,
  ) {}

  /** Resolves when the next call to `path` may start. */
  async slot(path = ""): Promise<void> {
    this.calls++;
    if (!(this.callsPerMinute > 0)) return;
    const interval = 60_000 / this.callsPerMinute;
    const now = this.clock.now();
    const at = Math.max(now, this.next.get(path) ?? 0);
    this.next.set(path, at + interval);
    const wait = at - now;
    if (wait > 0) {
      this.waits++;
      this.waitedMs += wait;
      await this.clock.sleep(wait);
    }
  }
}
