import { chromium } from "@playwright/test";
const [,, email, url, out, width] = process.argv;
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
const page = await browser.newPage({ viewport: { width: Number(width ?? 1280), height: 900 }, locale: "zh-CN" });
page.on("console", (m) => { if (m.type() === "error") console.log("console error:", m.text()); });
await page.goto(`${process.env.BASE ?? "http://127.0.0.1:4500"}/login`);
await page.getByLabel(/邮箱|E-mail/).fill(email);
await page.getByLabel(/密码|Password/).fill("WeGovern-2026!");
await page.getByRole("button", { name: /登录|Sign in/ }).click();
await page.waitForURL((u) => !u.pathname.startsWith("/login"));
if (process.env.EN) { await page.getByRole("button", { name: "English" }).click().catch(() => page.getByRole("link", { name: "English" }).click()); await page.waitForTimeout(800); }
const t0 = Date.now();
const r = await page.goto(url);
console.log("status", r.status(), "ms", Date.now() - t0);
await page.screenshot({ path: out, fullPage: true });
await browser.close();
