// The page survives its own environment (issue #12): a localStorage that is denied (the
// getter throws SecurityError, as in sandboxed iframes and some private windows) or full
// (setItem throws QuotaExceededError) must cost nothing but remembering the theme across
// visits: the page starts, the theme toggle works and holds while the system setting
// changes, and the console runs commands, with no error on the console.
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

const STUBS = {
  denied: () => {
    Object.defineProperty(window, "localStorage", {
      configurable: true,
      get() {
        throw new DOMException("The document is sandboxed and lacks the 'allow-same-origin' flag.", "SecurityError");
      },
    });
  },
  full: () => {
    Storage.prototype.setItem = function () {
      throw new DOMException("Setting the value exceeded the quota.", "QuotaExceededError");
    };
  },
};

describe("a localStorage that fails", () => {
  for (const [name, stub] of Object.entries(STUBS)) {
    test(`${name}: the page starts, the theme toggles and holds, the console works`, async () => {
      const { context, page, errors, outside } = await openPage(browser, server.url, {
        path: "?demo=0",
        colorScheme: "dark",
        beforeLoad: (page) => page.addInitScript(stub),
      });
      await waitForApp(page);
      const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
      assert.equal(await theme(), "dark", "the system's preference, with nothing remembered");
      await page.click('[data-testid="theme-toggle"]');
      assert.equal(await theme(), "light");
      // The system turning dark must not override the choice just made.
      await page.emulateMedia({ colorScheme: "dark" });
      await page.emulateMedia({ colorScheme: "light" });
      await page.emulateMedia({ colorScheme: "dark" });
      await page.waitForTimeout(200);
      assert.equal(await theme(), "light", "the in-page choice holds");
      const input = page.locator('[data-testid="console-input"]');
      await input.fill("kubectl get nodes");
      await input.press("Enter");
      await page.waitForFunction(() => document.querySelector('[data-testid="console-output"]').textContent.includes("worker-3"));
      await screenshot(page, `storage-${name}`);
      assert.deepEqual(errors, []);
      assert.deepEqual(outside, []);
      await context.close();
    });
  }
});
