/**
 * Waits until `check` holds, polling every `everyMs`, for at most `ms` (generous: jobs run when
 * pg-boss next polls, later on a busy machine; it returns as soon as the check holds).
 */
export async function until(check: () => Promise<boolean>, ms = 150_000, everyMs = 200): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error("timed out");
}
