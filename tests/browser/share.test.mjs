// Share links: the Share button's link, opened in a fresh browser context, replays the
// session to the very same moment (the simulation is deterministic: same pods, same
// names, same editor buffer); damaged and over-long links are a message in the console
// and an empty cluster, never a blank page.
import { after, before, describe, test } from "node:test";
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

const podNames = (page) =>
  page.$$eval('[data-testid="pod"]', (pods) => pods.map((p) => `${p.dataset.pod} ${p.dataset.node} ${p.dataset.status}`).sort());

async function run(page, command) {
  const input = page.locator('[data-testid="console-input"]');
  await input.fill(command);
  await input.press("Enter");
}

describe("share links", () => {
  test("a link replays the session to the same moment in a fresh browser", async () => {
    const first = await openPage(browser, server.url, { width: 1280, height: 720 });
    await waitForApp(first.page);
    await run(first.page, "kubectl scale deployment hello --replicas=5");
    await run(first.page, "kubectl create deployment web --image=httpd:2.4 --replicas=2");
    await first.page.waitForFunction(() => document.querySelectorAll('[data-testid="pod"][data-status="Running"]').length >= 5, null, { timeout: 30_000 });
    await first.page.click('[data-testid="transport-play"]'); // pause here
    await first.page.click('[data-testid="toggle-editor"]');
    await first.page.locator('[data-testid="editor"] textarea').fill("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shared-<b>demo</b>\n");
    const clock = await first.page.locator('[data-testid="transport-clock"]').textContent();
    const pods = await podNames(first.page);
    await first.page.click('[data-testid="share"]');
    const link = await first.page.locator('[data-testid="share-link"]').inputValue();
    assert.match(link, /#share=[A-Za-z0-9_-]+$/);
    await screenshot(first.page, "share-popover");
    await first.context.close();

    const path = link.slice(server.url.length);
    const second = await openPage(browser, server.url, { width: 1280, height: 720, path });
    await waitForApp(second.page);
    await second.page.waitForFunction(() => /Opened a shared session/.test(document.querySelector('[data-testid="console-output"]').textContent), null, { timeout: 30_000 });
    assert.equal(await second.page.locator('[data-testid="transport-clock"]').textContent(), clock);
    assert.deepEqual(await podNames(second.page), pods, "the same pods, names, nodes and statuses");
    assert.match(await second.page.locator('[data-testid="console-output"]').textContent(), /\$ kubectl create deployment web --image=httpd:2\.4 --replicas=2\s*deployment\.apps\/web created/);
    await second.page.click('[data-testid="toggle-editor"]');
    assert.match(await second.page.locator('[data-testid="editor"] textarea').inputValue(), /name: shared-<b>demo<\/b>/);
    assert.equal(await second.page.locator('[data-testid="editor"] b').count(), 0, "the buffer stays text");
    assert.deepEqual(second.errors, []);
    await screenshot(second.page, "share-opened");
    await second.context.close();
  });

  test("a page opened with ?workers=N boots N workers, and its links come back on that cluster", async () => {
    const nodeCount = (page) => page.locator('[data-testid="cluster-svg"] [data-testid^="node-"]').count();
    const output = (page) => page.locator('[data-testid="console-output"]').textContent();
    const first = await openPage(browser, server.url, { width: 1280, height: 720, path: "?workers=12" });
    await waitForApp(first.page);
    assert.equal(await nodeCount(first.page), 13);
    assert.match(await output(first.page), /This cluster has 13 nodes: control-plane and worker-1 … worker-12 \(\?workers=12\)/);
    await run(first.page, "kubectl create deployment web --image=nginx --replicas=12");
    await first.page.waitForFunction(() => document.querySelectorAll('[data-testid="pod"][data-workload="deploy/web"][data-status="Running"]').length === 12, null, { timeout: 30_000 });
    await first.page.click('[data-testid="transport-play"]'); // pause here
    const pods = await podNames(first.page);
    assert.ok(pods.some((p) => / worker-1[0-2] /.test(p)), `pods on the added workers: ${pods}`);
    await first.page.click('[data-testid="share"]');
    const link = await first.page.locator('[data-testid="share-link"]').inputValue();
    assert.match(link, /\?workers=12#share=/);
    await first.context.close();

    const path = link.slice(server.url.length);
    const second = await openPage(browser, server.url, { width: 1280, height: 720, path });
    await waitForApp(second.page);
    await second.page.waitForFunction(() => /Opened a shared session/.test(document.querySelector('[data-testid="console-output"]').textContent), null, { timeout: 30_000 });
    assert.equal(await nodeCount(second.page), 13);
    assert.deepEqual(await podNames(second.page), pods, "the same pods on the same 13 nodes");
    assert.deepEqual(second.errors, []);
    await second.context.close();

    // The same link on a page without ?workers= cannot replay on 3 workers: it says why.
    const bare = path.replace("?workers=12", "");
    const third = await openPage(browser, server.url, { path: bare });
    await waitForApp(third.page);
    await third.page.waitForFunction(() => /This share link cannot be opened/.test(document.querySelector('[data-testid="console-output"]').textContent), null, { timeout: 10_000 });
    assert.match(await output(third.page), /it was made on a cluster of 12 workers, and this page runs 3 \(open it with \?workers=12 in the address\)/);
    assert.equal(await nodeCount(third.page), 4);
    assert.deepEqual(third.errors, []);
    await third.context.close();

    const wrong = await openPage(browser, server.url, { path: "?workers=5000" });
    await waitForApp(wrong.page);
    assert.match(await output(wrong.page), /\?workers=5000 is not a number of worker nodes from 1 to 1023: the cluster has the default 3\./);
    assert.equal(await nodeCount(wrong.page), 4);
    assert.deepEqual(wrong.errors, []);
    await wrong.context.close();
  });

  for (const [what, fragment, message] of [
    ["damaged", "#share=AAAAbm90IGRlZmxhdGU", /cannot be opened: it is damaged/],
    ["hostile", "#share=<img src=x onerror=alert(1)>", /cannot be opened: it holds characters a link never has/],
    ["over-long", "#share=" + "A".repeat(40_000), /cannot be opened: it is 39 KiB long, more than the 32 KiB/],
  ]) {
    test(`a ${what} link is a message and an empty cluster`, async () => {
      const { context, page, errors } = await openPage(browser, server.url, { path: fragment });
      await waitForApp(page);
      await page.waitForFunction(() => /This share link cannot be opened/.test(document.querySelector('[data-testid="console-output"]').textContent), null, { timeout: 10_000 });
      assert.match(await page.locator('[data-testid="console-output"]').textContent(), message);
      assert.equal(await page.locator('[data-testid="pod"][data-workload="deploy/hello"]').count(), 0, "no demo workload");
      assert.equal(await page.locator('[data-testid="error-banner"]').isVisible(), false);
      assert.equal(await page.locator("#workspace img").count(), 0);
      assert.deepEqual(errors, []);
      await context.close();
    });
  }
});
