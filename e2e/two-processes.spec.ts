import { spawn, type ChildProcess } from "node:child_process";
import pg from "pg";
import { expect, signIn, signOut, test } from "./fixtures";
import { USERS } from "./users";

// Two production server processes on one PostgreSQL database — what `WEB_PROCESSES=2 npm start`
// runs behind its balancer, or two machines behind a company's — must answer as one: a session
// opened through one is honoured by the other, a change made through one is read back through the
// other, and a session ended through one is refused by the other on its next request (each
// process keeps the claims a cookie decoded to, never whether the session still stands:
// lib/server/session-claims.ts). The balancer itself, over real processes, is tested in
// scripts/serve-balance.test.ts; here each process has its own port so the test knows which one it
// talks to. Both are `npm start` (scripts/start.ts → scripts/serve.mjs) on a scratch database of
// their own, with their job runners on (docs/performance.md, "Two processes").

const BASE_PORT = Number(process.env.E2E_PORT ?? 3100);
const A = `http://localhost:${BASE_PORT + 2}`;
const B = `http://localhost:${BASE_PORT + 3}`;
const serverUrl = process.env.DATABASE_URL;
const PREFIX = "wg_twoproc_";

let database = "";
const servers: ChildProcess[] = [];

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** `npm start` on `port` against the scratch database; resolves once it serves the sign-in page. */
async function startServer(port: number): Promise<void> {
  const url = new URL(serverUrl!);
  url.pathname = `/${database}`;
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "scripts/start.ts"], {
    env: { ...process.env, DATABASE_URL: url.toString(), PORT: String(port), HOST: "127.0.0.1", NEXT_TELEMETRY_DISABLED: "1", WEGOVERN_DATA_DIR: ".data/e2e", DB_TRANSACTION_TIMEOUT_MS: "60000", WEB_PROCESSES: "1" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  servers.push(child);
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server on port ${port} stopped:\n${output}`);
    const ok = await fetch(`http://127.0.0.1:${port}/login`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}

test.describe.serial("two server processes on one database", () => {
  test.skip(!serverUrl, "needs DATABASE_URL (PostgreSQL): two processes cannot share the embedded database");
  test.use({ baseURL: A });

  test.beforeAll(async () => {
    if (!serverUrl) return;
    test.setTimeout(240_000); // a migration, the demo data and two Next.js starts on a busy machine
    database = `${PREFIX}${Date.now().toString(36)}`;
    await admin(async (client) => {
      // Earlier runs' databases go once nothing is connected to them any more.
      const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE '${PREFIX}%'`);
      for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}"`).catch(() => {});
      await client.query(`CREATE DATABASE "${database}"`);
    });
    // One after the other: the first migrates and seeds, the second finds both done.
    await startServer(BASE_PORT + 2);
    await startServer(BASE_PORT + 3);
  });

  test.afterAll(async () => {
    for (const child of servers) {
      if (child.exitCode !== null) continue;
      const exited = new Promise((r) => child.once("exit", r));
      try {
        process.kill(-child.pid!, "SIGTERM");
      } catch {
        // already gone
      }
      await exited;
    }
    if (database) await admin((client) => client.query(`DROP DATABASE IF EXISTS "${database}"`)).catch(() => {});
  });

  test("signed in through one process, an ADMIN ends a person's sessions through the other; the first reads it back and refuses the person", async ({ page, browser }) => {
    test.slow();
    // The person signs in through A and is served by B too (cookies are per host, not per port).
    const staffContext = await browser.newContext({ baseURL: A });
    const staff = await staffContext.newPage();
    await signIn(staff, "staff10@wegovern.demo");
    await expect(staff.getByTestId("current-user")).toBeVisible();
    await staff.goto(`${B}/`);
    await expect(staff.getByTestId("current-user")).toBeVisible();

    // The ADMIN signs in through A and acts through B: a Server Action that writes and is audited.
    await signIn(page, USERS.admin.email);
    await expect(page.getByTestId("current-user")).toContainText(USERS.admin.name);
    await page.goto(`${B}/directory/employees?q=staff10%40wegovern.demo`);
    await page.getByTestId("employee-row").first().getByRole("link").first().click();
    await expect(page).toHaveURL(new RegExp(`^${B}/`));
    await expect(page.getByTestId("employee-details")).toContainText("staff10@wegovern.demo");
    const form = page.getByRole("form", { name: "登录会话" });
    await form.getByRole("button", { name: "结束其全部会话" }).click();
    await page.getByRole("dialog", { name: "结束此员工的全部会话？" }).getByRole("button", { name: "结束全部会话" }).click();
    await expect(form.getByRole("status").or(form.getByRole("alert"))).toHaveText("该员工的全部会话已结束。");

    // Read back through A: the audit trail has the event, by the ADMIN.
    await page.goto(`${A}/audit`);
    const event = page.getByTestId("audit-row").filter({ hasText: "结束全部登录会话" });
    await expect(event).toHaveCount(1);
    await expect(event).toContainText(USERS.admin.email);

    // The person is refused by both processes, each of which had served their cookie before.
    await staff.goto(`${A}/`);
    await expect(staff).toHaveURL(/\/login/);
    await staff.goto(`${B}/`);
    await expect(staff).toHaveURL(/\/login/);
    await staffContext.close();
  });

  test("signing out through one process ends the session in the other: a copy of the cookie is refused there", async ({ page, browser }) => {
    test.slow();
    await signIn(page, USERS.hr.email);
    await expect(page.getByTestId("current-user")).toContainText(USERS.hr.name);
    const copied = await page.context().cookies();
    expect(copied.some((c) => c.name.includes("session-token"))).toBe(true);

    // The copy is served by B while the session lasts (B now keeps its decoded claims)…
    const elsewhere = await browser.newContext();
    await elsewhere.addCookies(copied);
    const copy = await elsewhere.newPage();
    await copy.goto(`${B}/directory/employees`);
    await expect(copy.getByTestId("current-user")).toContainText(USERS.hr.name);

    // …and refused by B on its next request once the person signed out through A.
    await signOut(page);
    await expect(page).toHaveURL(/\/login\?signedOut=1/);
    await copy.goto(`${B}/directory/employees`);
    await expect(copy).toHaveURL(/\/login/);
    await elsewhere.close();
  });
});
