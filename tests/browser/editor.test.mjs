// The YAML editor and the console's tab completion in headless Chromium: a template
// from the notes applies through the console, a syntax error marks its line, Tab
// indents in the editor and completes in the console. Saves screenshots to
// target/screenshots/ for a person to look at.
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

const BROKEN = [
  "apiVersion: v1",
  "kind: ConfigMap",
  "  metadata:",
  "  name: broken",
  "data:",
  '  greeting: "hello"',
].join("\n");

async function openWithEditor(colorScheme = "dark") {
  const opened = await openPage(browser, server.url, { width: 1280, height: 720, colorScheme });
  await waitForApp(opened.page);
  // The editor starts closed at 1280 wide.
  await opened.page.click('[data-testid="toggle-editor"]');
  await opened.page.locator('[data-testid="editor-text"]').waitFor({ state: "visible" });
  return opened;
}

describe("editor", () => {
  test("the seed's nginx-deployment template applies through the console", async () => {
    const { context, page, errors } = await openWithEditor();
    await page.selectOption('[data-testid="editor-template"]', "seed-nginx-deployment");
    const label = await page.locator('[data-testid="editor-template"] option:checked').textContent();
    assert.equal(label, "nginx-deployment (from the notes)");
    const text = await page.locator('[data-testid="editor-text"]').inputValue();
    assert.match(text, /name: nginx-deployment[\s\S]*replicas: 10[\s\S]*image: hello-seattle:latest/);
    // The highlighted layer shows the same text.
    assert.match(await page.locator(".editor-highlight .hl-key").first().textContent(), /apiVersion/);
    await page.click('[data-testid="editor-apply"]');
    const output = page.locator('[data-testid="console-output"]');
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="console-output"]').textContent.includes("deployment.apps/nginx-deployment created"),
    );
    assert.match(await output.textContent(), /\$ kubectl apply -f nginx-deployment\.yaml/);
    assert.equal(await page.locator('[data-testid="editor-error-line"]').count(), 0);
    await screenshot(page, "editor-template-applied");
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("a YAML error marks its line, and the mark clears on edit", async () => {
    const { context, page, errors } = await openWithEditor();
    const text = page.locator('[data-testid="editor-text"]');
    await text.fill(BROKEN);
    // Ctrl+Enter applies from the keyboard.
    await text.press("Control+Enter");
    const marker = page.locator('[data-testid="editor-error-line"]');
    await marker.waitFor({ state: "visible" });
    assert.equal(await marker.count(), 1);
    assert.equal(await marker.getAttribute("data-line"), "3");
    assert.match(await marker.getAttribute("title"), /mapping values are not allowed/);
    const message = page.locator('[data-testid="editor-error-message"]');
    assert.match(await message.textContent(), /Line 3.*mapping values are not allowed in this context/);
    assert.match(await page.locator(".editor-highlight .error-line").textContent(), /metadata:.*mapping values/);
    assert.match(
      await page.locator('[data-testid="console-output"]').textContent(),
      /yaml: line 3: mapping values are not allowed in this context/,
    );
    await screenshot(page, "editor-error-marker");
    // Clicking the message puts the caret on the line.
    await message.click();
    assert.equal(await text.evaluate((t) => t.value.slice(0, t.selectionStart).split("\n").length), 3);
    // Tab indents by two spaces (and the marks clear because the text changed).
    await text.press("Home");
    await text.press("Tab");
    assert.equal((await text.inputValue()).split("\n")[2], "    metadata:");
    assert.equal(await marker.count(), 0);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("field errors from the apiserver mark the field's line (light theme)", async () => {
    const { context, page, errors } = await openWithEditor("light");
    await page.selectOption('[data-testid="editor-template"]', "deployment");
    const text = page.locator('[data-testid="editor-text"]');
    const yaml = (await text.inputValue()).replace("replicas: 3", "replicas: -1");
    await text.fill(yaml);
    await page.click('[data-testid="editor-apply"]');
    const marker = page.locator('[data-testid="editor-error-line"]');
    await marker.waitFor({ state: "visible" });
    assert.equal(await marker.getAttribute("data-line"), "6");
    assert.match(
      await page.locator('[data-testid="editor-error-message"]').textContent(),
      /spec\.replicas: Invalid value: -1: must be greater than or equal to 0/,
    );
    await screenshot(page, "editor-field-error-light");
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe("console completion", () => {
  test("Tab completes kinds and names, and lists candidates", async () => {
    const { context, page, errors } = await openWithEditor();
    await page.selectOption('[data-testid="editor-template"]', "seed-nginx-deployment");
    await page.click('[data-testid="editor-apply"]');
    const input = page.locator('[data-testid="console-input"]');
    await input.fill("kubectl get deploy");
    await input.press("Tab");
    // Several kinds start with "deploy": they are listed, the line keeps its prefix.
    const output = page.locator('[data-testid="console-output"]');
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="console-output"]').textContent.includes("deploy  deployment  deployments"),
    );
    assert.equal(await input.inputValue(), "kubectl get deploy");
    assert.equal(await input.evaluate((el) => el === document.activeElement), true);
    await input.press("End");
    await input.pressSequentially(" ngi");
    await input.press("Tab");
    assert.equal(await input.inputValue(), "kubectl get deploy nginx-deployment ");
    await input.press("Enter");
    await page.waitForFunction(() =>
      /nginx-deployment\s+\d+\/10/.test(document.querySelector('[data-testid="console-output"]').textContent),
    );
    // Each entry has a Copy button; the output stays selectable text.
    await page.locator(".console-entry").last().hover();
    assert.equal(await page.locator('[data-testid="console-copy"]').last().isVisible(), true);
    assert.match(await output.textContent(), /NAME\s+READY/);
    await screenshot(page, "console-completion");
    // Copy puts the command and its output on the clipboard and says so.
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
    const copy = page.locator('[data-testid="console-copy"]').last();
    await copy.click();
    await page.waitForFunction(() =>
      [...document.querySelectorAll('[data-testid="console-copy"]')].at(-1).textContent.includes("Copied"),
    );
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(copied, /^\$ kubectl get deploy nginx-deployment\nNAME\s+READY/);
    // An empty line lets Tab move focus on: no trap.
    await input.press("Tab");
    assert.equal(await input.evaluate((el) => el === document.activeElement), false);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
