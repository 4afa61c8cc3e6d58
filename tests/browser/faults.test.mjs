// Control-plane faults on the page: `sim scheduler down` greys out the kube-scheduler box
// (dashed red border, name struck through, caption "stopped (sim … up)") and
// `sim scheduler up` restores it. Screenshots go to
// target/screenshots/ for a person to look at.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { launchBrowser, openPage, screenshot, serveStatic, waitForApp } from "./harness.mjs";

let server;
let browser;

before(async () => {
  server = await serveStatic();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function runInConsole(page, command) {
  const input = page.locator('[data-testid="console-input"]');
  await input.fill(command);
  await input.press("Enter");
}

test("a stopped component is drawn greyed and struck through until it starts again", async () => {
  const { context, page, errors } = await openPage(browser, server.url);
  await waitForApp(page);
  const scheduler = page.locator('[data-testid="component-kube-scheduler"]');
  assert.equal(await scheduler.evaluate((el) => el.classList.contains("down")), false);
  await runInConsole(page, "sim scheduler down");
  await runInConsole(page, "sim controller-manager down");
  await page.waitForFunction(
    () => document.querySelector('[data-testid="component-kube-scheduler"]')?.classList.contains("down"),
    null,
    { timeout: 10_000 },
  );
  assert.match(await scheduler.textContent(), /stopped \(sim … up\)/);
  const manager = page.locator('[data-testid="component-kube-controller-manager"]');
  assert.equal(await manager.evaluate((el) => el.classList.contains("down")), true);
  const nameStyle = await scheduler.locator(".box-name").evaluate((el) => getComputedStyle(el).textDecorationLine);
  assert.equal(nameStyle, "line-through");
  await screenshot(page, "faults-scheduler-and-controller-manager-down");
  await runInConsole(page, "sim scheduler up");
  await page.waitForFunction(
    () => !document.querySelector('[data-testid="component-kube-scheduler"]')?.classList.contains("down"),
    null,
    { timeout: 10_000 },
  );
  assert.match(await scheduler.textContent(), /filter → score → bind/);
  assert.deepEqual(errors, []);
  await context.close();
});
