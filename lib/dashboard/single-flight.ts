// A value computed at most once per `ttlMs`, shared by everyone who asks meanwhile: requests that
// arrive while it is being computed wait for that computation instead of starting their own, and
// requests within `ttlMs` of its start get its result. A failed computation is not kept. Pure (no
// server imports), so it is tested on its own.

export type Computed<T> = { value: T; /** When the computation started: the data's time. */ at: Date };

type Entry<T> = { startedAt: number; settled: boolean; promise: Promise<Computed<T>> };

export class SingleFlight<T> {
  private entry: Entry<T> | undefined;

  /**
   * @param ttlMs how long a value is kept
   * @param freshAfterMs how old a value must be before `fresh` counts again (so a burst of
   *   "count again" clicks, or a script repeating them, costs one count per this many ms at most)
   */
  constructor(
    private readonly ttlMs: number,
    private readonly clock: () => number = () => Date.now(),
    private readonly freshAfterMs = 0,
  ) {}

  /**
   * The kept value while it is younger than the TTL; otherwise a new computation. `fresh` asks for
   * a new one even within the TTL, but still joins a computation already running (it is at most
   * as old as the request), and takes a value younger than `freshAfterMs`.
   */
  get(compute: () => Promise<T>, options: { fresh?: boolean } = {}): Promise<Computed<T>> {
    const now = this.clock();
    const current = this.entry;
    const age = current ? now - current.startedAt : Infinity;
    if (current && (!current.settled || age < (options.fresh ? Math.min(this.freshAfterMs, this.ttlMs) : this.ttlMs))) return current.promise;
    const entry: Entry<T> = { startedAt: now, settled: false, promise: Promise.resolve(undefined as never) };
    entry.promise = compute().then(
      (value) => {
        entry.settled = true;
        // With no TTL nothing is kept once it is done (requests in flight still shared it).
        if (this.ttlMs <= 0 && this.entry === entry) this.entry = undefined;
        return { value, at: new Date(entry.startedAt) };
      },
      (error: unknown) => {
        if (this.entry === entry) this.entry = undefined;
        throw error;
      },
    );
    this.entry = entry;
    return entry.promise;
  }

  /** Forgets the kept value (a computation in flight still answers those who wait for it). */
  clear(): void {
    this.entry = undefined;
  }
}
