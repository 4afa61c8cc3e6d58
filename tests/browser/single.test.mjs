// `make single`: the whole page as one HTML file, opened from file:// with no network.
// Builds the file from the page under test (scripts/single.mjs), opens it in Chromium,
// and fails on any request beyond the file itself, any console error or CSP violation,
// or an app that does not start and run the demo workload.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { DIST, ROOT, SCREENSHOTS, launchBrowser, screenshot, waitForApp } from "./harness.mjs";

let browser;
const file = join(SCREENSHOTS, "..", "single-test", "kubesim.html");

before(async () => {
  execFileSync("node", [join(ROOT, "scripts", "single.mjs"), DIST, file], { stdio: "inherit" });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

test("the single file runs from file:// with no request at all", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, colorScheme: "dark" });
  const page = await context.newPage();
  const url = pathToFileURL(file).href;
  const requests = [];
  const errors = [];
  page.on("request", (request) => requests.push(request.url()));
  page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
  page.on("pageerror", (error) => errors.push(error.message));
  await page.addInitScript(() => {
    window.__violations = [];
    addEventListener("securitypolicyviolation", (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(url);
  await waitForApp(page);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="pod"][data-status="Running"]').length >= 3, null, { timeout: 30_000 });
  const input = page.locator('[data-testid="console-input"]');
  await input.fill("kubectl get deploy hello");
  await input.press("Enter");
  assert.match(await page.locator('[data-testid="console-output"]').textContent(), /hello\s+3\/3\s+3\s+3/);
  // explain's documentation, fetched on demand when served, is inlined here.
  await input.fill("kubectl explain deploy.spec.replicas");
  await input.press("Enter");
  await page.waitForFunction(() => document.querySelector('[data-testid="console-output"]').textContent.includes("FIELD: replicas <integer>"));
  await screenshot(page, "single-file");
  const outside = requests.filter((r) => r !== url && !r.startsWith("blob:") && !r.startsWith("data:"));
  assert.deepEqual(outside, [], "requests beyond the file itself");
  assert.deepEqual(errors, [], "console errors");
  assert.deepEqual(await page.evaluate(() => window.__violations), [], "CSP violations");
  await context.close();
});
