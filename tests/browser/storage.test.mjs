// The page survives its own environment (issue #12): a localStorage that is denied (the
// getter throws SecurityError, as in sandboxed iframes and some private windows) or full
// (setItem throws QuotaExceededError) must cost nothing but remembering the theme across
// visits: the page starts, the theme toggle works and holds while the system setting
// changes, and the console runs commands, with no error on the console. The stubs stand
// for the browsers' behaviours: Safari's private windows (before 11) and a full quota
// throw on setItem; third-party iframes with storage blocked throw on the getter. The
// presentation (which publishes its step to localStorage) and its speaker-notes window
// (which reads it) are tried under both. And a real sandboxed iframe (`sandbox=
// "allow-scripts"`, no allow-same-origin: an opaque origin, where the browser itself
// denies localStorage) on another origin's page runs the app, served as GitHub Pages
// serves files (with `Access-Control-Allow-Origin: *`, which an opaque origin needs to
// load module scripts and the wasm at all).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, launchBrowser, openPage, screenshot, serveStatic, waitForApp } from "./harness.mjs";

let server;
let host;
let browser;

before(async () => {
  server = await serveStatic();
  const dir = join(ROOT, "target", "sandbox-host");
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "index.html"),
    `<!DOCTYPE html><html><head><meta charset="utf-8"><title>sandboxed embed</title></head><body>
<iframe id="sandboxed" title="kubesim" sandbox="allow-scripts" src="${server.url}?demo=0" width="1200" height="680"></iframe>
</body></html>`,
  );
  host = await serveStatic(dir);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await host?.close();
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

describe("a localStorage that fails, presenting", () => {
  for (const [name, stub] of Object.entries(STUBS)) {
    test(`${name}: a presentation and its speaker notes start and follow no stored step`, async () => {
      const { context, page, errors, outside } = await openPage(browser, server.url, {
        path: "?scenario=daemonset&present",
        beforeLoad: (page) => page.context().addInitScript(stub),
      });
      await waitForApp(page);
      // The step is published to localStorage as the presentation moves on.
      await page.keyboard.press("PageDown");
      await page.locator('[data-testid="narration-line"]').getByText(/1\/4/).waitFor();
      const [notes] = await Promise.all([context.waitForEvent("page"), page.keyboard.press("s")]);
      await notes.locator('[data-testid="speaker-notes"]').waitFor({ timeout: 30_000 });
      // Nothing could be stored: the notes show the introduction rather than fail.
      assert.match(await notes.locator('[data-testid="notes-step"]').innerText(), /Introduction/);
      assert.match(await notes.locator('[data-testid="notes-next"]').innerText(), /Next: One pod per worker/);
      assert.deepEqual(errors, []);
      assert.deepEqual(outside, []);
      await context.close();
    });
  }
});

describe("a real sandboxed iframe", () => {
  test("denies localStorage, and the app runs in it all the same", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 760 } });
    await context.route(`${server.url}**`, async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, headers: { ...response.headers(), "access-control-allow-origin": "*" } });
    });
    const page = await context.newPage();
    const errors = [];
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(`console: ${message.text()}`);
    });
    page.on("pageerror", (error) => errors.push(`exception: ${error.message}`));
    await page.goto(host.url);
    const frame = page.frameLocator("#sandboxed");
    await frame.locator('[data-testid="app"]').waitFor({ timeout: 30_000 });
    const inner = page.frames().find((f) => f.url().startsWith(server.url));
    assert.equal(
      await inner.evaluate(() => {
        try {
          return typeof window.localStorage;
        } catch (e) {
          return e.name;
        }
      }),
      "SecurityError",
      "the browser denies storage to an opaque origin",
    );
    const theme = () => inner.evaluate(() => document.documentElement.dataset.theme);
    const first = await theme();
    await frame.locator('[data-testid="theme-toggle"]').click();
    assert.notEqual(await theme(), first, "the theme toggles");
    const input = frame.locator('[data-testid="console-input"]');
    await input.fill("kubectl get nodes");
    await input.press("Enter");
    await frame.locator('[data-testid="console-output"]').getByText("worker-3").waitFor();
    await screenshot(page, "storage-sandboxed-iframe");
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe("what localStorage holds is outside input", () => {
  test("a stored step past the lesson's end opens the speaker notes at the introduction", async () => {
    const { context, page, errors } = await openPage(browser, server.url, {
      path: "?scenario=daemonset&notes",
      beforeLoad: (page) => page.addInitScript(() => localStorage.setItem("kubesim-notes-step", "daemonset\n99")),
    });
    await page.locator('[data-testid="speaker-notes"]').waitFor({ timeout: 30_000 });
    assert.match(await page.locator('[data-testid="notes-step"]').innerText(), /Introduction/);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
