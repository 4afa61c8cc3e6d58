// The autoscaling lesson on the page: after the load generator's steps the
// HorizontalPodAutoscaler has grown php-apache (more pods drawn than the one it started
// with) and its reads and rescales are in the Messages panel, from the
// horizontal-pod-autoscaler controller in kube-controller-manager. Screenshots go to
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

async function settled(page) {
  await page.waitForFunction(
    () => !document.querySelector('[data-testid="lesson-next"]')?.textContent.includes("Running"),
    null,
    { timeout: 120_000 },
  );
}

test("the HPA lesson scales php-apache and its controller talks in the Messages panel", async () => {
  const { context, page, errors } = await openPage(browser, server.url, { path: "?scenario=autoscaling" });
  try {
    await waitForApp(page);
    await page.locator('[data-testid="lesson-title"]').getByText("Horizontal Pod Autoscaler").waitFor();
    for (let step = 1; step <= 5; step++) {
      await page.locator('[data-testid="lesson-next"]').click();
      await settled(page);
    }
    const output = await page.locator('[data-testid="console-output"]').innerText();
    assert.match(output, /New size: \d+; reason: cpu resource utilization \(percentage of request\) above target/);
    await page.waitForTimeout(1500);
    await screenshot(page, "autoscaling-lesson-1280");
    // Pods are SVG groups: their text is textContent.
    const pods = await page.locator('[data-testid="pod"]').evaluateAll((els) => els.map((e) => e.textContent));
    const php = pods.filter((p) => p.includes("php-apache"));
    assert.ok(php.length >= 4, `php-apache pods drawn: ${php.length} (${pods.join(" | ")})`);
    await page.locator('#messages [data-testid="tab-messages"]').click();
    const messages = await page.locator('[data-testid="messages-list"]').innerText();
    assert.match(messages, /horizontal-pod-autoscaler/);
    assert.match(messages, /scale deployment php-apache from \d+ to \d+/);
    await screenshot(page, "autoscaling-messages-1280");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
