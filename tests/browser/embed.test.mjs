// Embedding: two embeds on a page served from another origin. Only the one on screen
// runs (the other stays paused at 00:00:00.0 until scrolled to, and the first pauses
// when it leaves); the host page drives an embed with postMessage and hears back; a
// message from an origin the embed does not answer is refused and runs nothing.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, launchBrowser, screenshot, serveStatic } from "./harness.mjs";

let app;
let host;
let browser;

before(async () => {
  app = await serveStatic();
  const dir = join(ROOT, "target", "embed-host");
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "index.html"),
    `<!DOCTYPE html><html><head><meta charset="utf-8"><title>docs page</title>
<style>body { font-family: sans-serif; margin: 16px; background: #f4f6fa; } iframe { border: 1px solid #ccd; border-radius: 8px; display: block; } .gap { height: 2400px; }</style>
</head><body>
<h1>Rolling updates</h1><p>The first embed is on screen; the second is far below.</p>
<iframe id="first" title="kubesim" src="${app.url}?embed&theme=light" width="900" height="480"></iframe>
<div class="gap"></div>
<iframe id="second" title="kubesim" src="${app.url}?embed&panels=console" width="900" height="560"></iframe>
<iframe id="strict" title="kubesim" src="${app.url}?embed&host=https://docs.example.com" width="300" height="200"></iframe>
<script>
window.replies = [];
addEventListener("message", (event) => window.replies.push({ origin: event.origin, data: event.data }));
</script>
</body></html>`,
  );
  host = await serveStatic(dir);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await host?.close();
  await app?.close();
});

const clock = (frame) => frame.locator('[data-testid="transport-clock"]').textContent();
const running = (frame) => frame.locator('[data-testid="app"]').getAttribute("data-running");

test("two embeds from another origin: only the visible one runs, and the host drives it", async () => {
  assert.notEqual(new URL(app.url).origin, new URL(host.url).origin);
  const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(host.url);
  const first = page.frameLocator("#first");
  const second = page.frameLocator("#second");
  for (const frame of [first, second]) {
    await frame.locator('[data-testid="app"]').waitFor({ timeout: 30_000 });
  }
  await page.waitForTimeout(2500);
  assert.equal(await running(first), "true", "the visible embed runs");
  assert.notEqual(await clock(first), "00:00:00.0");
  assert.equal(await running(second), "false", "the embed below the fold waits");
  assert.equal(await clock(second), "00:00:00.0");
  assert.equal(await page.frameLocator("#first").locator('[data-testid="app-bar"]').count(), 0, "no app bar in an embed");
  await screenshot(page, "embed-host-page");

  // Scrolled to the second: it starts, and the first (now off screen) pauses.
  await page.locator("#second").scrollIntoViewIfNeeded();
  await page.waitForFunction(() => true);
  await page.waitForTimeout(2000);
  assert.equal(await running(second), "true");
  assert.notEqual(await clock(second), "00:00:00.0");
  assert.equal(await running(first), "false");
  const paused = await clock(first);
  await page.waitForTimeout(700);
  assert.equal(await clock(first), paused, "the off-screen embed stays paused");
  await screenshot(page, "embed-second-in-view");

  // The host page runs a command in the second embed and hears the output.
  const appOrigin = new URL(app.url).origin;
  await page.evaluate((origin) => {
    document.getElementById("second").contentWindow.postMessage({ type: "kubesim:run", id: 7, command: "kubectl get deploy hello" }, origin);
  }, appOrigin);
  await page.waitForFunction(() => window.replies.some((r) => r.data && r.data.id === 7));
  const reply = (await page.evaluate(() => window.replies)).find((r) => r.data.id === 7);
  assert.equal(reply.origin, appOrigin);
  assert.equal(reply.data.type, "kubesim:result");
  assert.match(reply.data.output, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nhello\s+[0-3]\/3\s+3\s/);
  assert.match(await second.locator('[data-testid="console-output"]').textContent(), /\$ kubectl get deploy hello/);

  // An embed told to answer only https://docs.example.com refuses this page.
  await page.evaluate((origin) => {
    document.getElementById("strict").contentWindow.postMessage({ type: "kubesim:run", id: 8, command: "kubectl delete deploy hello" }, origin);
  }, appOrigin);
  await page.waitForFunction(() => window.replies.some((r) => r.data && r.data.id === 8));
  const refused = (await page.evaluate(() => window.replies)).find((r) => r.data.id === 8);
  assert.equal(refused.data.type, "kubesim:error");
  assert.match(refused.data.message, /ignored "kubesim:run" from http:\/\/127\.0\.0\.1:\d+: this embed answers https:\/\/docs\.example\.com/);
  // Every embed said it was ready to the page that holds it.
  assert.ok((await page.evaluate(() => window.replies)).filter((r) => r.data.type === "kubesim:ready").length >= 2);
  assert.deepEqual(errors, []);
  await context.close();
});
