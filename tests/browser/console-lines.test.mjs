// Long lines and pasted scripts in the page's console: their commands run one after
// another across animation frames (each waits for the controllers' reaction to the one
// before it, as the CLI's settle between commands does), so a learner who pastes twenty
// commands watches them land instead of a frozen page. The output is the CLI's, in order.
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

const N = 12;
const creates = Array.from({ length: N }, (_, d) => `kubectl create deployment d${d} --image=nginx --replicas=30`);
const expected = Array.from({ length: N }, (_, d) => `deployment.apps/d${d} created\n`).join("");

// Samples the console's last entry on every animation frame until `done` appears in it,
// so a state that lasted a single frame is seen.
async function watchLastEntry(page, done) {
  return page.evaluate(
    (done) =>
      new Promise((resolve) => {
        const seen = [];
        const tick = () => {
          const texts = [...document.querySelectorAll(".console-entry .console-text")].map((e) => e.textContent);
          seen.push(texts.join("\u0000"));
          if (texts.some((t) => t.includes(done))) resolve({ seen, texts });
          else requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      }),
    done,
  );
}

test("a line of several commands prints command by command, over frames, with the CLI's output", async () => {
  const { context, page, errors } = await openPage(browser, server.url, { width: 1600, height: 900, path: "?demo=0" });
  await waitForApp(page);
  await page.click('[data-testid="transport-play"]').catch(() => {});
  const input = page.locator('[data-testid="console-input"]');
  await input.fill(creates.join("; "));
  const watching = watchLastEntry(page, `deployment.apps/d${N - 1} created`);
  await input.press("Enter");
  const { seen, texts } = await watching;
  const last = texts[texts.length - 1];
  assert.equal(last, expected);
  // Some frame showed the first commands' output and not yet the last's.
  const partial = seen.filter((s) => s.includes("deployment.apps/d0 created") && !s.includes(`d${N - 1} created`));
  assert.ok(partial.length > 0, `the output arrived all at once (${seen.length} frames sampled)`);
  // Nothing typed after the line ran twice, and the cluster has every Deployment.
  await input.fill("kubectl get deployments --no-headers | wc -l");
  await input.press("Enter");
  await page.waitForFunction(
    (n) => [...document.querySelectorAll(".console-entry .console-text")].pop()?.textContent.trim() === String(n),
    N,
    { timeout: 30_000 },
  );
  assert.deepEqual(errors, []);
  await context.close();
});

test("a pasted script runs each command as its own entry, in order, over frames", async () => {
  const { context, page, errors } = await openPage(browser, server.url, { width: 1600, height: 900, path: "?demo=0" });
  await waitForApp(page);
  const script = creates.join("\n") + "\nkubectl get deployments --no-headers | wc -l\n";
  const watching = watchLastEntry(page, String(N));
  await page.locator('[data-testid="console-input"]').focus();
  await page.evaluate((text) => {
    const data = new DataTransfer();
    data.setData("text/plain", text);
    document
      .querySelector('[data-testid="console-input"]')
      .dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, script);
  const { seen } = await watching;
  const commands = await page.locator(".console-entry .console-command").allTextContents();
  assert.deepEqual(
    commands.map((c) => c.replace(/^\$ /, "")),
    [...creates, "kubectl get deployments --no-headers | wc -l"],
  );
  const outputs = await page.locator(".console-entry .console-text").allTextContents();
  assert.deepEqual(outputs.slice(-N - 1), [...expected.split(/(?<=\n)/), `${N}\n`]);
  // Frames were drawn between the commands: some showed only the first ones' entries.
  assert.ok(
    seen.some((s) => s.includes("d0 created") && !s.includes(`d${N - 1} created`)),
    `the script ran inside one frame (${seen.length} frames sampled)`,
  );
  await screenshot(page, "console-pasted-script");
  assert.deepEqual(errors, []);
  await context.close();
});
