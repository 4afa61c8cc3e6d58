// The page survives its own failures (issue #12).
//
// 1. The inputs that once crashed it — `sim node add '<img src=x>'` and every input the
//    fuzzer ever kept (tests/fuzz-regressions/: console lines typed at the prompt,
//    manifests applied from the editor, jsonpath templates through `kubectl get -o
//    jsonpath`) — are answered as kubectl answers them, the page keeps working, and
//    nothing reaches the browser's console.
// 2. A panic aborts the WebAssembly module, so the error banner offers a restart: the
//    session replayed from its recording without the command that crashed it, with a
//    note naming that command. `sim debug panic` (documented in `sim help` and the README)
//    is the crash, since the release build the tests load has no other way to panic on
//    cue.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
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

/** The kept inputs of one fuzz surface: [file name, text]. */
function kept(surface) {
  const dir = join(ROOT, "tests", "fuzz-regressions", surface);
  return readdirSync(dir)
    .filter((name) => name.endsWith(".txt"))
    .sort()
    .map((name) => [name, readFileSync(join(dir, name), "utf8")]);
}

/** What kubectl (or curl) answers the kept inputs whose answer is known. */
const ANSWERS = {
  "curl-non-ascii-short-flag.txt": /curl: option -\u202e-: is unknown/,
  "statefulset-claim-other-request.txt": /The StatefulSet "web" is invalid: spec\.volumeClaimTemplates\[0\]\.spec\.resources\[storage\]: Required value/,
  "statefulset-claim-without-storage.txt": /The StatefulSet "web" is invalid: spec\.volumeClaimTemplates\[0\]\.spec\.resources\[storage\]: Required value/,
  "unclosed-nested-ranges.txt": /error: error executing jsonpath/,
};

/** Types `command` at the prompt and returns the text of the entry it produced. */
async function run(page, command) {
  const before = await page.locator(".console-entry").count();
  const input = page.locator('[data-testid="console-input"]');
  await input.fill(command);
  await input.press("Enter");
  await page.waitForFunction((n) => document.querySelectorAll(".console-entry").length > n, before, { timeout: 30_000 });
  return page.locator(".console-entry").last().locator(".console-text").textContent();
}

async function openEditor(page) {
  if (!(await page.locator('[data-testid="editor-text"]').isVisible())) {
    await page.click('[data-testid="toggle-editor"]');
  }
}

/** The page still answers: the nodes are listed. */
async function assertWorking(page, after) {
  assert.match(await run(page, "kubectl get nodes"), /worker-3\s+Ready/, `the console works after ${after}`);
}

describe("inputs that once crashed the page", () => {
  test("are answered as kubectl answers them, and the page keeps working", async () => {
    const { context, page, errors, outside } = await openPage(browser, server.url, { path: "?demo=0" });
    await waitForApp(page);

    const node = await run(page, "sim node add '<img src=x>'");
    assert.match(node, /The Node "<img src=x>" is invalid: \n\* metadata\.name: Invalid value: "<img src=x>"/);
    await assertWorking(page, "an invalid node name");

    for (const [name, line] of kept("console")) {
      const answer = await run(page, line.trimEnd());
      assert.ok(answer.trim() !== "", `${name}: no answer`);
      if (ANSWERS[name]) assert.match(answer, ANSWERS[name], name);
      await assertWorking(page, name);
    }
    for (const [name, template] of kept("jsonpath")) {
      const answer = await run(page, `kubectl get pods -A -o jsonpath='${template.trimEnd()}'`);
      if (ANSWERS[name]) assert.match(answer, ANSWERS[name], name);
      await assertWorking(page, name);
    }
    // Manifests through the editor's Apply, as a learner pastes them.
    await openEditor(page);
    const editor = page.locator('[data-testid="editor-text"]');
    for (const [name, manifest] of kept("manifest")) {
      const before = await page.locator(".console-entry").count();
      await editor.fill(manifest);
      await page.click('[data-testid="editor-apply"]');
      await page.waitForFunction((n) => document.querySelectorAll(".console-entry").length > n, before, { timeout: 30_000 });
      const answer = await page.locator(".console-entry").last().locator(".console-text").textContent();
      if (ANSWERS[name]) assert.match(answer, ANSWERS[name], name);
      await assertWorking(page, name);
    }
    await screenshot(page, "recovery-kept-inputs");
    assert.equal(await page.locator('[data-testid="error-banner"]').isVisible(), false, "no banner");
    assert.deepEqual(errors, []);
    assert.deepEqual(outside, []);
    await context.close();
  });
});

describe("a panic", () => {
  test("offers a restart that replays the session without the command that crashed it", async () => {
    const { context, page, errors, outside } = await openPage(browser, server.url, { path: "?demo=0" });
    await waitForApp(page);
    await run(page, "kubectl create deployment web --image=nginx:1.27 --replicas=2");
    await run(page, "sleep 20");
    await run(page, "kubectl scale deployment web --replicas=3");
    const pods = await run(page, "kubectl get deployment web -o jsonpath={.spec.replicas}");
    assert.equal(pods.trim(), "3");
    const draft = "# a draft the restart keeps\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: draft\n";
    await openEditor(page);
    await page.locator('[data-testid="editor-text"]').fill(draft);

    // The crash: the banner names the command and offers to restart without it.
    const input = page.locator('[data-testid="console-input"]');
    await input.fill("sim debug panic");
    await input.press("Enter");
    const banner = page.locator('[data-testid="error-banner"]');
    await banner.waitFor({ state: "visible", timeout: 10_000 });
    assert.equal(await banner.getAttribute("data-kind"), "panic");
    assert.match(await banner.textContent(), /hit a bug running “sim debug panic” and stopped/);
    const restart = page.locator('[data-testid="error-banner-restart"]');
    await restart.waitFor({ state: "visible", timeout: 10_000 });
    assert.equal((await restart.textContent()).trim(), "Restart without it");
    assert.ok(errors.some((e) => e.includes("sim debug panic")), "the panic is logged");
    // Frames keep calling into the aborted module and panic in turn; the banner keeps
    // naming the first panic.
    await page.waitForTimeout(1000);
    assert.match(await page.locator("#error-banner-detail").textContent(), /^sim debug panic: a deliberate panic, to try the page's crash recovery \(src\/console\/simctl\.rs:\d+\)$/);
    await screenshot(page, "recovery-banner");

    // The restart: a fresh module replays the session; only the crashing line is gone.
    const crashed = errors.length;
    await Promise.all([page.waitForEvent("load"), restart.click()]);
    await waitForApp(page);
    const output = page.locator('[data-testid="console-output"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="console-output"]')?.textContent.includes("restarted after a bug"), null, { timeout: 30_000 });
    const note = await output.textContent();
    assert.match(note, /kubesim restarted after a bug: the session is back at .* \(4 commands replayed\) without the command that crashed it:\s+sim debug panic/);
    assert.match(note, /\$ kubectl scale deployment web --replicas=3/, "the replayed commands show");
    assert.equal(await banner.isVisible(), false, "the banner is gone");
    await openEditor(page);
    assert.equal(await page.locator('[data-testid="editor-text"]').inputValue(), draft, "the editor's draft is back");
    assert.equal((await run(page, "kubectl get deployment web -o jsonpath={.spec.replicas}")).trim(), "3");
    assert.match(await run(page, "kubectl get pods"), /web-[a-z0-9]+-[a-z0-9]+\s+1\/1\s+Running/);
    await screenshot(page, "recovery-restarted");
    assert.deepEqual(errors.slice(crashed), [], "nothing goes wrong after the restart");
    assert.deepEqual(outside, []);
    await context.close();
  });

  test("sim debug panic is in sim help", async () => {
    const { context, page, errors } = await openPage(browser, server.url, { path: "?demo=0" });
    await waitForApp(page);
    assert.match(await run(page, "sim help"), /debug panic\s+crash the page on purpose, to try its recovery/);
    assert.match(await run(page, "sim debug"), /sim debug: expected `panic`/);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
