// `kubectl edit` on the page: the editor panel is kubectl's editor. Typing
// `kubectl edit deployment web` opens the object (kubectl's header comment, then its YAML)
// in the editor; Save with nothing changed cancels as kubectl does; changing the replicas
// and saving patches the Deployment and its pods follow on the cluster view. Also
// `kubectl explain`, whose documentation the page fetches on first use. Saves
// screenshots to target/screenshots/ for a person to look at.
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

async function runInConsole(page, command) {
  const input = page.locator('[data-testid="console-input"]');
  await input.fill(command);
  await input.press("Enter");
}

async function consoleText(page) {
  return page.locator('[data-testid="console-output"]').textContent();
}

async function webPods(page) {
  return page.$$eval('[data-testid="pod"][data-workload="deploy/web"]', (els) => els.map((el) => el.dataset.pod));
}

describe("kubectl edit in the editor panel", () => {
  test("edit a Deployment's replicas on the page and see the pods change", async () => {
    const { context, page, errors } = await openPage(browser, server.url, { width: 1600, height: 900, path: "?demo=0" });
    await waitForApp(page);
    await runInConsole(page, "kubectl create deployment web --image=nginx:1.25 --replicas=2");
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="pod"][data-workload="deploy/web"]').length === 2);

    await runInConsole(page, "kubectl edit deployment web");
    const file = page.locator('[data-testid="editor-file"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="editor-file"]')?.textContent.startsWith("/tmp/kubectl-edit-"));
    const text = page.locator('[data-testid="editor-text"]');
    const opened = await text.inputValue();
    assert.match(opened, /^# Please edit the object below\. Lines beginning with a '#' will be ignored,\n/);
    assert.match(opened, /\nkind: Deployment\n/);
    assert.match(opened, /\n  replicas: 2\n/);
    assert.doesNotMatch(opened, /managedFields/);
    assert.equal(await page.locator('[data-testid="editor-apply"]').textContent(), "Save");
    await screenshot(page, "edit-opened");

    // Saved unchanged: kubectl's cancel.
    await page.click('[data-testid="editor-apply"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="console-output"]').textContent.includes("Edit cancelled, no changes made."));
    assert.equal(await file.textContent(), "web.yaml");

    // Open again, change the replicas, save: the Deployment is patched.
    await runInConsole(page, "kubectl edit deployment web");
    await page.waitForFunction(() => document.querySelector('[data-testid="editor-file"]')?.textContent.startsWith("/tmp/kubectl-edit-"));
    const again = await text.inputValue();
    await text.fill(again.replace("\n  replicas: 2\n", "\n  replicas: 4\n"));
    await page.click('[data-testid="editor-apply"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="console-output"]').textContent.includes("deployment.apps/web edited"));
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="pod"][data-workload="deploy/web"]').length === 4, null, { timeout: 30_000 });
    assert.equal((await webPods(page)).length, 4);
    await screenshot(page, "edit-saved-four-pods");

    await runInConsole(page, "kubectl get deploy web -o jsonpath='{.spec.replicas}' --show-managed-fields");
    await runInConsole(page, "kubectl get deploy web -o jsonpath='{range .metadata.managedFields[*]}{.manager},{end}' --show-managed-fields");
    await page.waitForFunction(() => document.querySelector('[data-testid="console-output"]').textContent.includes("kubectl-edit,"));
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("kubectl explain fetches its documentation on first use", async () => {
    const { context, page, errors } = await openPage(browser, server.url, { width: 1280, height: 720, path: "?demo=0" });
    await waitForApp(page);
    const fetched = [];
    page.on("request", (request) => fetched.push(new URL(request.url()).pathname));
    await runInConsole(page, "kubectl explain deploy.spec.strategy");
    await page.waitForFunction(() => document.querySelector('[data-testid="console-output"]').textContent.includes("FIELD: strategy <DeploymentStrategy>"));
    assert.ok(fetched.includes("/explain-docs.txt"), `requests: ${fetched}`);
    assert.match(await consoleText(page), /rollingUpdate\t?\s*<RollingUpdateDeployment>/);
    await screenshot(page, "explain-field");
    assert.deepEqual(errors, []);
    await context.close();
  });
});
