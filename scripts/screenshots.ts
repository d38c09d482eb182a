import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, statSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser } from "@playwright/test";

// `npm run screenshots`: the main pages at 375 px (a phone in WeCom) and 1280 px, in Chinese, as
// PNG files in docs/screenshots/ (the README shows some of them). It serves the production build
// (`npm run build` first) on a fresh demo database of its own, exactly as the e2e tests do, signs
// in as the demo people and photographs each page; Debian's Chromium, never a downloaded browser.
//
// Options (environment):
//   SCREENSHOTS_URL   use a portal that is already running (with the demo sign-ins) instead
//   SCREENSHOTS_PORT  the port for the server this script starts (3300)
//   SCREENSHOTS_OUT   where the files go (docs/screenshots)
//   CHROMIUM_PATH     the browser (/usr/bin/chromium)

const PASSWORD = "WeGovern-2026!";
const ROLE_EMAIL = {
  admin: "admin@wegovern.demo",
  manager: "manager@wegovern.demo",
  employee: "employee@wegovern.demo",
} as const;
type Role = keyof typeof ROLE_EMAIL;

/** What is photographed: file name, who looks, which page. */
export const SHOTS: { name: string; role: Role; path: string }[] = [
  { name: "home", role: "manager", path: "/" },
  { name: "dashboard", role: "admin", path: "/dashboard" },
  { name: "approvals", role: "manager", path: "/approvals" },
  { name: "groups", role: "admin", path: "/groups" },
  { name: "service", role: "admin", path: "/service" },
  { name: "training", role: "employee", path: "/training" },
  { name: "employees", role: "admin", path: "/directory/employees" },
  { name: "audit", role: "admin", path: "/audit" },
];
const WIDTHS = [
  { width: 375, height: 812, scale: 2, mobile: true },
  { width: 1280, height: 800, scale: 1, mobile: false },
];
const WECOM_UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 wxwork/4.1.30 MicroMessenger/7.0.1 Language/zh ColorScheme/Light";

const log = (line: string) => console.log(`[screenshots] ${line}`);

/** Chinese text without a Chinese font renders as empty boxes: say so before taking pictures. */
function checkCjkFonts() {
  const fonts = spawnSync("fc-list", [":lang=zh", "family"], { encoding: "utf8" });
  if (fonts.status === 0 && fonts.stdout.trim()) {
    log(`Chinese fonts: ${fonts.stdout.trim().split("\n")[0]}`);
    return;
  }
  console.warn(
    "[screenshots] WARNING: no font with Chinese glyphs is installed (`fc-list :lang=zh` is empty), so Chinese text will show as boxes.\n" +
      "              On Debian/Ubuntu: sudo apt-get install fonts-noto-cjk   (or the smaller fonts-wqy-microhei)",
  );
}

async function waitFor(url: string, timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

/** The production build on a fresh in-memory demo database (like playwright.config.ts's webServer). */
async function startServer(port: number): Promise<ChildProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: "127.0.0.1", NEXT_TELEMETRY_DISABLED: "1", WEGOVERN_DATA_DIR: ".data/screenshots" };
  delete env.DATABASE_URL; // the embedded database: never a shared server's
  log(`Starting the portal on port ${port} (a fresh demo database; builds first if there is no build)…`);
  const server = spawn("npx", ["tsx", "--conditions=react-server", "scripts/start.ts", "--fresh"], { env, stdio: ["ignore", "inherit", "inherit"], detached: true });
  await waitFor(`http://127.0.0.1:${port}/login`, 300_000);
  return server;
}

async function shoot(browser: Browser, baseURL: string, out: string) {
  const written: string[] = [];
  for (const w of WIDTHS) {
    for (const role of Object.keys(ROLE_EMAIL) as Role[]) {
      const shots = SHOTS.filter((s) => s.role === role);
      if (!shots.length) continue;
      const context = await browser.newContext({
        baseURL,
        locale: "zh-CN",
        timezoneId: "Asia/Shanghai",
        viewport: { width: w.width, height: w.height },
        deviceScaleFactor: w.scale,
        isMobile: w.mobile,
        hasTouch: w.mobile,
        ...(w.mobile ? { userAgent: WECOM_UA } : {}),
      });
      const page = await context.newPage();
      await page.goto("/login");
      const form = page.getByRole("form", { name: "登录" });
      await form.getByLabel("邮箱").fill(ROLE_EMAIL[role]);
      await form.getByLabel("密码").fill(PASSWORD);
      await form.getByRole("button", { name: "登录" }).click();
      await page.waitForURL((url) => !url.pathname.startsWith("/login"), { timeout: 60_000 });
      for (const shot of shots) {
        await page.goto(shot.path);
        await page.locator("main h1").first().waitFor({ timeout: 60_000 });
        const file = path.join(out, `${shot.name}-${w.width}.png`);
        await page.screenshot({ path: file, animations: "disabled", caret: "hide" });
        written.push(file);
        log(`${file} (${Math.round(statSync(file).size / 1024)} KB)`);
      }
      await context.close();
    }
  }
  return written;
}

async function main() {
  checkCjkFonts();
  const out = path.resolve(process.env.SCREENSHOTS_OUT ?? "docs/screenshots");
  mkdirSync(out, { recursive: true });
  const port = Number(process.env.SCREENSHOTS_PORT ?? 3300);
  const baseURL = process.env.SCREENSHOTS_URL ?? `http://127.0.0.1:${port}`;
  const server = process.env.SCREENSHOTS_URL ? null : await startServer(port);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const written = await shoot(browser, baseURL, out);
    log(`${written.length} screenshots in ${path.relative(process.cwd(), out) || "."}`);
  } finally {
    await browser.close();
    // The server and the embedded database it started: the whole process group.
    if (server?.pid) process.kill(-server.pid, "SIGTERM");
  }
}

main().catch((error) => {
  console.error(`[screenshots] ${(error as Error).message}`);
  process.exit(1);
});
