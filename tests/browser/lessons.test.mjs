// Lessons and presentation mode (issue #14), in real headless Chromium: a guided lesson
// typed into the console step by step with its narration beside the cluster, Back and
// Next over the recorded tape, the lesson picker, an unknown or hostile lesson name
// (a message, nothing run, nothing injected), and presentation mode at 1920×1080 with
// no text under 20 px. Screenshots go to target/screenshots/ for a person to look at.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { ROOT, launchBrowser, openPage, screenshot, serveStatic, waitForApp } from "./harness.mjs";

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

const next = (page) => page.locator('[data-testid="lesson-next"]');
const back = (page) => page.locator('[data-testid="lesson-back"]');

/** Waits until the step's commands have been typed and run. */
async function settled(page) {
  await page.waitForFunction(
    () => !document.querySelector('[data-testid="lesson-next"]')?.textContent.includes("Running"),
    null,
    { timeout: 60_000 },
  );
}

async function consoleText(page) {
  return page.locator('[data-testid="console-output"]').innerText();
}

/** The smallest font size on screen, in CSS pixels, with the element that has it. */
async function smallestText(page) {
  return page.evaluate(() => {
    let smallest = { size: Infinity, text: "" };
    const visible = (el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 &&
        r.top < innerHeight && r.left < innerWidth && getComputedStyle(el).visibility !== "hidden";
    };
    for (const el of document.querySelectorAll("body *")) {
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      if (!own || !visible(el) || el.closest(".visually-hidden")) continue;
      let size = parseFloat(getComputedStyle(el).fontSize);
      const svg = el.closest("svg");
      if (svg) size *= svg.getScreenCTM().a;
      if (size < smallest.size) smallest = { size, text: el.textContent.trim().slice(0, 40) };
    }
    return smallest;
  });
}

describe("a guided lesson", () => {
  test("steps are typed into the console, narrated, and replayed by Back/Next", async () => {
    const { context, page, errors, outside } = await openPage(browser, server.url, {
      path: "?scenario=rolling-update",
    });
    try {
      await waitForApp(page);
      await page.locator('[data-testid="lesson-title"]').getByText("Rolling update").waitFor();
      assert.match(await page.locator('[data-testid="lesson-progress"]').innerText(), /4 steps/);
      // A lesson starts from the fresh cluster its test ran on: no demo Deployment.
      assert.doesNotMatch(await consoleText(page), /deployment\.apps\/hello/);

      await next(page).click();
      // The command is typed visibly before it runs.
      await page.waitForFunction(() => document.querySelector('[data-testid="console-input"]').value.startsWith("kubectl"));
      await settled(page);
      assert.match(await consoleText(page), /deployment "web" successfully rolled out/);
      assert.match(await page.locator('[data-testid="lesson-progress"]').innerText(), /step 1 of 4/);

      await next(page).click();
      await settled(page);
      await page.locator('[data-testid="lesson-step-title"]').getByText("Change the image").waitFor();
      assert.match(await consoleText(page), /deployment\.apps\/web image updated/);
      // Mid-rollout: the drawing shows the new pods starting beside the old ones.
      await page.waitForTimeout(1200);
      await screenshot(page, "lesson-midway-1280");

      // Back to step 1: the cluster as it was then, before the image changed; the
      // learner may type at any step, and sees it.
      await back(page).click();
      assert.match(await page.locator('[data-testid="lesson-progress"]').innerText(), /step 1 of 4/);
      const input = page.locator('[data-testid="console-input"]');
      await input.fill("kubectl get deploy web -o jsonpath='{.spec.template.spec.containers[0].image}'");
      await input.press("Enter");
      await page.locator('[data-testid="console-output"] pre').last().getByText("nginx:1.26").waitFor();
      // Typing started a new branch, so Next runs step 2 again from here.
      await next(page).click();
      await settled(page);
      const updates = (await consoleText(page)).match(/deployment\.apps\/web image updated/g) ?? [];
      assert.equal(updates.length, 2, "step 2's commands ran again on the new branch");
      assert.deepEqual(errors, []);
      assert.deepEqual(outside, []);
    } finally {
      await context.close();
    }
  });

  test("Back then Next without typing replays the tape instead of running again", async () => {
    const { context, page, errors } = await openPage(browser, server.url, {
      width: 1920,
      height: 1080,
      path: "?scenario=daemonset",
    });
    try {
      await waitForApp(page);
      await next(page).click();
      await settled(page);
      await next(page).click();
      await settled(page);
      const before = await consoleText(page);
      await page.waitForTimeout(800);
      await screenshot(page, "lesson-1920");
      await back(page).click();
      await next(page).click();
      await settled(page);
      assert.equal(await consoleText(page), before, "nothing was typed again");
      assert.match(await page.locator('[data-testid="lesson-progress"]').innerText(), /step 2 of 4/);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test("the picker lists every lesson, none pending", async () => {
    const { context, page } = await openPage(browser, server.url, { path: "?scenario=" });
    try {
      await waitForApp(page);
      const list = page.locator('[data-testid="lesson"] [data-testid="lesson-list"] li');
      // One entry per bundled lesson file.
      const lessons = readdirSync(join(ROOT, "scenarios")).filter((f) => f.endsWith(".md"));
      assert.equal(await list.count(), lessons.length);
      // Every lesson is played now: none is listed as pending.
      const pending = page.locator('[data-testid="lesson"] li.pending');
      assert.equal(await pending.count(), 0);
      // The Ingress-versus-gateway lesson opens by its URL like any other.
      const { context: other, page: gateway } = await openPage(browser, server.url, { path: "?scenario=ingress-vs-gateway" });
      await waitForApp(gateway);
      await gateway.locator('[data-testid="lesson-title"]').getByText("Ingress versus an API gateway").waitFor();
      assert.equal(await gateway.locator('[data-testid="lesson-pending"]').count(), 0);
      await other.close();
      await page.locator('[data-testid="lesson"] a[data-lesson="headless-dns"]').click();
      await page.locator('[data-testid="lesson-title"]').getByText("Headless versus ClusterIP").waitFor();
    } finally {
      await context.close();
    }
  });

  test("an unknown or hostile lesson name is a message; nothing runs or is injected", async () => {
    const hostile = '<img src=x onerror="window.__pwned=1">';
    const { context, page, errors, outside } = await openPage(browser, server.url, {
      path: `?scenario=${encodeURIComponent(hostile)}`,
    });
    try {
      await waitForApp(page);
      const message = page.locator('[data-testid="lesson-error"]');
      await message.waitFor();
      assert.match(await message.innerText(), /There is no lesson called “<img src=x onerror="window\.__pwned=1">”/);
      assert.equal(await page.locator("img").count(), 0);
      assert.equal(await page.evaluate(() => window.__pwned), undefined);
      assert.equal(await page.locator(".console-command").count(), 0, "no command was run");
      assert.deepEqual(errors, []);
      assert.deepEqual(outside, []);
    } finally {
      await context.close();
    }
  });
});

describe("presentation mode", () => {
  test("at 1920×1080: only the cluster and the narration line, nothing under 20 px, remote keys", async () => {
    const { context, page, errors } = await openPage(browser, server.url, {
      width: 1920,
      height: 1080,
      path: "?scenario=daemonset&present",
    });
    try {
      await waitForApp(page);
      assert.equal(await page.locator("#app.presenting").count(), 1);
      for (const hidden of ["app-bar", "console", "transport", "lesson"]) {
        assert.equal(await page.locator(`[data-testid="${hidden}"]`).isVisible(), false, `${hidden} is hidden`);
      }
      const line = page.locator('[data-testid="narration-line"]');
      assert.match(await line.innerText(), /DaemonSet/);
      await page.keyboard.press("PageDown");
      await settled(page);
      await page.keyboard.press("PageDown");
      await settled(page);
      assert.match(await line.innerText(), /2\/4 · Tolerate the taint/);
      await page.waitForTimeout(1500);
      const smallest = await smallestText(page);
      assert.ok(smallest.size >= 20, `smallest text ${smallest.size}px: "${smallest.text}"`);
      await screenshot(page, "present-1920");

      // Speaker notes in a second window, kept in step with the presentation.
      const [notes] = await Promise.all([context.waitForEvent("page"), page.keyboard.press("s")]);
      await notes.locator('[data-testid="speaker-notes"]').waitFor({ timeout: 30_000 });
      await notes.locator('[data-testid="notes-step"]').getByText("Tolerate the taint").waitFor();
      assert.match(await notes.locator('[data-testid="notes-next"]').innerText(), /Next: A new node gets its pod/);
      await notes.setViewportSize({ width: 1280, height: 720 });
      await screenshot(notes, "speaker-notes");

      await page.keyboard.press("b");
      assert.equal(await page.locator('[data-testid="blackout"]').isVisible(), true);
      await page.keyboard.press("b");
      assert.equal(await page.locator('[data-testid="blackout"]').isVisible(), false);

      await page.keyboard.press("PageUp");
      assert.match(await line.innerText(), /1\/4 · One pod per worker/);
      await notes.locator('[data-testid="notes-step"]').getByText("One pod per worker").waitFor();
      await page.keyboard.press("Escape");
      assert.equal(await page.locator("#app.presenting").count(), 0);
      assert.equal(await page.locator('[data-testid="app-bar"]').isVisible(), true);
      await page.keyboard.press("p");
      assert.equal(await page.locator("#app.presenting").count(), 1);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
