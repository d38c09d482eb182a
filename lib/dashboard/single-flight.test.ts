import { describe, expect, it } from "vitest";
import { SingleFlight } from "./single-flight";

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe("SingleFlight", () => {
  it("eight callers at once share one computation and its start time", async () => {
    let now = 1_000;
    const cache = new SingleFlight<number>(60_000, () => now);
    let runs = 0;
    const gate = deferred<number>();
    const calls = Array.from({ length: 8 }, () => cache.get(() => (runs++, gate.promise)));
    now = 1_500;
    gate.resolve(42);
    const results = await Promise.all(calls);
    expect(runs).toBe(1);
    expect(results.map((r) => r.value)).toEqual(Array(8).fill(42));
    expect(results.every((r) => r.at.getTime() === 1_000)).toBe(true);
  });

  it("keeps the value until the TTL from its start, then counts again", async () => {
    let now = 0;
    const cache = new SingleFlight<number>(60_000, () => now);
    let runs = 0;
    const compute = async () => ++runs;
    expect((await cache.get(compute)).value).toBe(1);
    now = 59_999;
    expect((await cache.get(compute)).value).toBe(1);
    now = 60_000;
    const again = await cache.get(compute);
    expect(again.value).toBe(2);
    expect(again.at.getTime()).toBe(60_000);
  });

  it("fresh counts again once the last count is done, but joins one still running", async () => {
    const now = 0;
    const cache = new SingleFlight<number>(60_000, () => now);
    let runs = 0;
    const gate = deferred<number>();
    const first = cache.get(() => (runs++, gate.promise));
    const joined = cache.get(async () => (runs++, -1), { fresh: true });
    gate.resolve(7);
    expect((await first).value).toBe(7);
    expect((await joined).value).toBe(7);
    expect(runs).toBe(1);
    expect((await cache.get(async () => (runs++, 8), { fresh: true })).value).toBe(8);
    expect(runs).toBe(2);
  });

  it("fresh takes a value younger than freshAfterMs instead of counting again", async () => {
    let now = 0;
    const cache = new SingleFlight<number>(60_000, () => now, 5_000);
    let runs = 0;
    const compute = async () => ++runs;
    await cache.get(compute);
    now = 4_999;
    expect((await cache.get(compute, { fresh: true })).value).toBe(1);
    now = 5_000;
    expect((await cache.get(compute, { fresh: true })).value).toBe(2);
  });

  it("does not keep a failure: the next caller counts again", async () => {
    const cache = new SingleFlight<number>(60_000, () => 0);
    await expect(cache.get(async () => Promise.reject(new Error("database went away")))).rejects.toThrow("database went away");
    expect((await cache.get(async () => 5)).value).toBe(5);
  });

  it("with a TTL of 0 keeps nothing once done, yet callers in flight still share", async () => {
    const cache = new SingleFlight<number>(0, () => 0);
    let runs = 0;
    const gate = deferred<number>();
    const a = cache.get(() => (runs++, gate.promise));
    const b = cache.get(() => (runs++, gate.promise));
    gate.resolve(1);
    await Promise.all([a, b]);
    expect(runs).toBe(1);
    await cache.get(async () => (runs++, 2));
    expect(runs).toBe(2);
  });

  it("clear forgets the kept value", async () => {
    const cache = new SingleFlight<number>(60_000, () => 0);
    await cache.get(async () => 1);
    cache.clear();
    expect((await cache.get(async () => 2)).value).toBe(2);
  });
});
