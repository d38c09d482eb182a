import { afterEach, beforeEach, vi } from "vitest";

// A console.error during a test is a failure unless the test expects it (ARCHITECTURE.md):
// a test that expects one replaces the spy with its own `vi.spyOn(console, "error")`.
let spy: ReturnType<typeof vi.spyOn> | undefined;

beforeEach(() => {
  spy = vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    throw new Error(`console.error during a test: ${args.map(String).join(" ")}`);
  });
});

afterEach(() => {
  spy?.mockRestore();
});
