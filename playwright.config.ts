import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";

// End-to-end tests in Debian's Chromium (never a downloaded browser: STACK.md) against the
// production build, served by `npm start --fresh` on a new, seeded database for this run only.
const port = Number(process.env.E2E_PORT ?? 3100);
export const baseURL = `http://localhost:${port}`;
/** The WeCom simulator of e2e/sign-in-sso.spec.ts: the server sends WeCom sign-ins there. */
export const wecomSimPort = port + 1000;
/** Debian's headless shell (package chromium-headless-shell: Chromium's old headless mode, the
 * browser Playwright itself uses for headless runs) when it is installed, else Debian's Chromium.
 * The shell has no browser UI of its own to draw: the whole suite took 14.7 min with it against
 * 21.3 with the full browser on the same 2-core machine (docs/decisions/0010). */
const HEADLESS_SHELL = "/usr/lib/chromium/chromium-headless-shell";
const chromiumPath = process.env.CHROMIUM_PATH ?? (existsSync(HEADLESS_SHELL) ? HEADLESS_SHELL : "/usr/bin/chromium");

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  fullyParallel: false,
  workers: 2,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  reporter: process.env.CI ? [["list"]] : [["list"]],
  timeout: 60_000, // a busy 2-core machine serves pages slowly; a passing test never waits for it
  expect: { timeout: 15_000 },
  use: {
    baseURL,
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: chromiumPath,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  projects: [
    { name: "sign-in-setup", testMatch: /auth\.setup\.ts/ },
    { name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined }, dependencies: ["sign-in-setup"], testIgnore: [/auth\.setup\.ts/, /wecom-sync\.spec\.ts/, /offboarding-wecom\.spec\.ts/, /a11y\.spec\.ts/, /two-processes\.spec\.ts/] },
    // Two production processes of their own on a scratch database (ports E2E_PORT + 2 and + 3): a
    // session and a change made through one, honoured and refused through the other. It shares
    // nothing with the suite's server, so it needs no sign-in and runs beside the rest from the start.
    { name: "two-processes", use: { ...devices["Desktop Chrome"], channel: undefined }, testMatch: /two-processes\.spec\.ts/ },
    // The accessibility crawls (two roles, every page, two widths: the suite's longest tests) open
    // pages and change nothing: after the other specs, side by side with the WeCom projects below,
    // so neither leaves a worker idle at the end of the run.
    { name: "a11y", use: { ...devices["Desktop Chrome"], channel: undefined }, dependencies: ["chromium"], testMatch: /a11y\.spec\.ts/ },
    // The WeCom sync brings a simulated company's employees and groups into the shared database:
    // it runs after every other test (the accessibility crawls beside it count nothing), so none of
    // their lists and counts see them.
    { name: "wecom-sync", use: { ...devices["Desktop Chrome"], channel: undefined }, dependencies: ["chromium"], testMatch: /wecom-sync\.spec\.ts/ },
    // Issue 15's handover through WeCom syncs the same simulated company again and moves its
    // customers: after the sync's project, so no other spec's counts see either.
    { name: "wecom-offboarding", use: { ...devices["Desktop Chrome"], channel: undefined }, dependencies: ["wecom-sync"], testMatch: /offboarding-wecom\.spec\.ts/ },
  ],
  webServer: {
    command: "npx tsx --conditions=react-server scripts/start.ts --fresh",
    url: `${baseURL}/login`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    // JOBS_SCHEDULES_OFF: no nightly WeCom sync by the clock. At 02:00 China time (18:00 UTC) it would
    // add a run to the sync history e2e/wecom-sync.spec.ts counts (it did, in a run at 18:00 UTC).
    env: { PORT: String(port), HOST: "127.0.0.1", NEXT_TELEMETRY_DISABLED: "1", WEGOVERN_DATA_DIR: ".data/e2e", DB_TRANSACTION_TIMEOUT_MS: "60000", WECOM_OAUTH_BASE_URL: `http://127.0.0.1:${wecomSimPort}`, WECOM_SSO_BASE_URL: `http://127.0.0.1:${wecomSimPort}`, SMS_GATEWAY: "development", SMS_DEV_OUTBOX: ".data/e2e/sms-outbox.jsonl", JOBS_SCHEDULES_OFF: "wecom.sync-nightly" },
  },
});
