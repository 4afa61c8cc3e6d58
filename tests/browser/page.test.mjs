// The page in real headless Chromium, against the release build in dist/: it loads
// cleanly and offline, shows every region, switches themes, reports panics and load
// failures in a visible banner, and its console and inspector respond. Saves
// screenshots to target/screenshots/ for a person to look at.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { DIST, SCREENSHOTS, launchBrowser, openPage, screenshot, serveStatic, waitForApp } from "./harness.mjs";

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

const REGIONS = [
  ["app-bar", null],
  ["cluster-view", "Cluster view"],
  ["editor", "YAML editor"],
  ["console", "Console"],
  ["transport", "Transport"],
  ["inspector", "Inspector"],
];

describe("page", () => {
  test("loads with no console error and no request outside its origin", async () => {
    const { context, page, errors, outside } = await openPage(browser, server.url);
    await waitForApp(page);
    await page.waitForLoadState("networkidle");
    assert.deepEqual(outside, [], "requests outside the page's origin");
    assert.deepEqual(errors, [], "console errors");
    assert.equal(await page.locator('[data-testid="error-banner"]').isVisible(), false);
    await context.close();
  });

  test("works from a sub-path of a static host", async () => {
    const parent = await serveStatic(dirname(DIST));
    try {
      const { context, page, errors, outside } = await openPage(browser, parent.url, { path: `${basename(DIST)}/` });
      await waitForApp(page);
      assert.deepEqual(outside, []);
      assert.deepEqual(errors, []);
      await context.close();
    } finally {
      await parent.close();
    }
  });

  test("shows every region, with ARIA labels", async () => {
    const { context, page, errors } = await openPage(browser, server.url, { width: 1920, height: 1080 });
    await waitForApp(page);
    for (const [id, label] of REGIONS) {
      const region = page.locator(`[data-testid="${id}"]`);
      assert.equal(await region.isVisible(), true, `${id} visible`);
      assert.equal(await region.getAttribute("id"), id, `${id} has a stable id`);
      if (label) assert.equal(await region.getAttribute("aria-label"), label);
    }
    for (const name of ["kube-apiserver", "etcd", "kube-scheduler", "kube-controller-manager", "cloud-controller-manager", "CoreDNS"]) {
      assert.equal(await page.locator(`[data-testid="component-${name}"]`).count(), 1, name);
    }
    for (const [node, ip] of [["control-plane", "172.18.0.2"], ["worker-1", "172.18.0.3"], ["worker-2", "172.18.0.4"], ["worker-3", "172.18.0.5"]]) {
      const card = page.locator(`[data-testid="node-${node}"]`);
      assert.match(await card.textContent(), new RegExp(ip.replaceAll(".", "\\.")));
      assert.equal(await page.locator(`[data-testid="agent-${node}-kubelet"]`).count(), 1);
      assert.equal(await page.locator(`[data-testid="agent-${node}-kube-proxy"]`).count(), 1);
    }
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("fits a 1280x720 projector without page scrolling", async () => {
    const { context, page } = await openPage(browser, server.url, { width: 1280, height: 720 });
    await waitForApp(page);
    const overflow = await page.evaluate(() => ({
      x: document.documentElement.scrollWidth - innerWidth,
      y: document.documentElement.scrollHeight - innerHeight,
    }));
    assert.deepEqual(overflow, { x: 0, y: 0 });
    for (const id of ["cluster-view", "console", "transport"]) {
      const box = await page.locator(`[data-testid="${id}"]`).boundingBox();
      assert.ok(box.x >= 0 && box.y >= 0 && box.x + box.width <= 1280 && box.y + box.height <= 720, `${id} inside the window`);
    }
    assert.equal(await page.locator('[data-testid="inspector"]').isVisible(), false, "the inspector waits for a selection");
    await context.close();
  });

  test("at 1280x720 every pod of the demo scaled to 9 is in view, and a selection opens the inspector", async () => {
    const { context, page } = await openPage(browser, server.url, { width: 1280, height: 720 });
    await waitForApp(page);
    const input = page.locator('[data-testid="console-input"]');
    await input.fill("kubectl scale deployment hello --replicas=9");
    await input.press("Enter");
    await page.waitForFunction(
      () => [...document.querySelectorAll('[data-testid="pod"][data-workload="deploy/hello"]')].filter((p) => p.dataset.status === "Running").length === 9,
      null,
      { timeout: 30_000 },
    );
    await page.waitForTimeout(300);
    const canvas = await page.locator('[data-testid="cluster-canvas"]').boundingBox();
    const scroll = await page.locator('[data-testid="cluster-canvas"]').evaluate((el) => [el.scrollHeight - el.clientHeight, el.scrollWidth - el.clientWidth]);
    assert.deepEqual(scroll, [0, 0], "the cluster view fits without scrolling");
    for (const box of await page.locator('[data-testid="pod"]').evaluateAll((els) => els.map((el) => {
      const r = el.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height, name: el.dataset.pod };
    }))) {
      assert.ok(
        box.x >= canvas.x && box.y >= canvas.y && box.x + box.width <= canvas.x + canvas.width + 0.5 && box.y + box.height <= canvas.y + canvas.height + 0.5,
        `${box.name} inside the cluster view: ${JSON.stringify(box)} in ${JSON.stringify(canvas)}`,
      );
    }
    // Pods are still drawn with their names (one or two lines), not as bare tiles.
    assert.match(await page.locator('[data-testid="pod"][data-workload="deploy/hello"]').first().textContent(), /hello-/);
    await screenshot(page, "projector-9-replicas");
    await page.locator('[data-testid="pod"][data-workload="deploy/hello"]').first().click();
    await page.locator('[data-testid="inspector"]').waitFor({ state: "visible" });
    assert.match(await page.locator('[data-testid="inspector-title"]').textContent(), /^hello-/);
    await context.close();
  });

  test("panels collapse and reopen", async () => {
    const { context, page } = await openPage(browser, server.url, { width: 1280, height: 720 });
    await waitForApp(page);
    const editor = page.locator('[data-testid="editor"]');
    assert.equal(await editor.isVisible(), false, "editor starts closed at 1280 wide");
    await page.click('[data-testid="toggle-editor"]');
    assert.equal(await editor.isVisible(), true);
    const inspector = page.locator('[data-testid="inspector"]');
    assert.equal(await inspector.isVisible(), false, "inspector starts closed at 1280 wide");
    await page.click('[data-testid="toggle-inspector"]');
    assert.equal(await inspector.isVisible(), true);
    await page.click('[data-testid="toggle-inspector"]');
    assert.equal(await inspector.isVisible(), false);
    await page.click('[data-testid="console-collapse"]');
    assert.equal(await page.locator('[data-testid="console-input"]').isVisible(), false);
    await page.click('[data-testid="console-collapse"]');
    assert.equal(await page.locator('[data-testid="console-input"]').isVisible(), true);
    await context.close();
  });

  test("a divider resizes its panel by dragging and by keyboard", async () => {
    const { context, page } = await openPage(browser, server.url, { width: 1280, height: 720 });
    await waitForApp(page);
    await page.click('[data-testid="toggle-inspector"]');
    const inspector = page.locator('[data-testid="inspector"]');
    const before = (await inspector.boundingBox()).width;
    const divider = await page.locator('[data-testid="split-inspector"]').boundingBox();
    await page.mouse.move(divider.x + divider.width / 2, divider.y + divider.height / 2);
    await page.mouse.down();
    await page.mouse.move(divider.x - 80, divider.y + divider.height / 2, { steps: 5 });
    await page.mouse.up();
    const dragged = (await inspector.boundingBox()).width;
    assert.ok(Math.abs(dragged - (before + 80)) < 4, `dragged ${before} -> ${dragged}`);
    await page.focus('[data-testid="split-inspector"]');
    await page.keyboard.press("ArrowRight");
    const keyed = (await inspector.boundingBox()).width;
    assert.ok(keyed < dragged, `keyboard ${dragged} -> ${keyed}`);
    await context.close();
  });
});

describe("theme", () => {
  const background = (page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

  test("follows prefers-color-scheme", async () => {
    for (const scheme of ["dark", "light"]) {
      const { context, page } = await openPage(browser, server.url, { colorScheme: scheme });
      await waitForApp(page);
      assert.equal(await page.getAttribute("html", "data-theme"), scheme);
      await context.close();
    }
  });

  test("the toggle switches the theme and is remembered", async () => {
    const { context, page } = await openPage(browser, server.url, { colorScheme: "dark" });
    await waitForApp(page);
    const dark = await background(page);
    await page.click('[data-testid="theme-toggle"]');
    assert.equal(await page.getAttribute("html", "data-theme"), "light");
    const light = await background(page);
    assert.notEqual(light, dark, "background changes");
    await page.reload();
    await waitForApp(page);
    assert.equal(await page.getAttribute("html", "data-theme"), "light", "remembered across reloads");
    await page.click('[data-testid="theme-toggle"]');
    assert.equal(await page.getAttribute("html", "data-theme"), "dark");
    await context.close();
  });
});

describe("errors are visible", () => {
  test("a panic shows the error banner", async () => {
    const { context, page, errors } = await openPage(browser, server.url, { path: "?panic-test=1" });
    await waitForApp(page);
    const banner = page.locator('[data-testid="error-banner"]');
    await banner.waitFor({ state: "visible", timeout: 10_000 });
    assert.equal(await banner.getAttribute("data-kind"), "panic");
    assert.match(await banner.textContent(), /hit a bug[\s\S]*panic-test/);
    assert.ok(errors.some((e) => e.includes("panic-test")), "the panic is logged to the console too");
    await screenshot(page, "panic-banner");
    await context.close();
  });

  test("a failure to load the wasm shows the error banner", async () => {
    const { context, page } = await openPage(browser, server.url, {
      beforeLoad: (page) => page.route("**/*.wasm", (route) => route.fulfill({ status: 404, body: "gone" })),
    });
    const banner = page.locator('[data-testid="error-banner"]');
    await banner.waitFor({ state: "visible", timeout: 15_000 });
    assert.equal(await banner.getAttribute("data-kind"), "load");
    assert.equal(await page.locator('[data-testid="loading"]').count(), 0, "the spinner is gone");
    await context.close();
  });
});

describe("interaction", () => {
  test("the console runs commands and recalls history", async () => {
    const { context, page, errors } = await openPage(browser, server.url);
    await waitForApp(page);
    const input = page.locator('[data-testid="console-input"]');
    await input.fill("kubectl get nodes");
    await input.press("Enter");
    const output = page.locator('[data-testid="console-output"]');
    await page.waitForFunction(() => document.querySelectorAll(".console-entry").length >= 2);
    assert.match(await output.textContent(), /\$ kubectl get nodes/);
    assert.equal(await input.inputValue(), "");
    await input.press("ArrowUp");
    assert.equal(await input.inputValue(), "kubectl get nodes");
    await input.press("ArrowDown");
    assert.equal(await input.inputValue(), "");
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("the editor applies through the console", async () => {
    const { context, page } = await openPage(browser, server.url, { width: 1920, height: 1080 });
    await waitForApp(page);
    await page.click('[data-testid="editor-apply"]');
    assert.match(await page.locator('[data-testid="console-output"]').textContent(), /\$ kubectl apply -f web\.yaml/);
    await context.close();
  });

  test("clicking a node shows it in the inspector", async () => {
    const { context, page } = await openPage(browser, server.url);
    await waitForApp(page);
    await page.locator('[data-testid="node-worker-2"] .node').click({ position: { x: 40, y: 20 } });
    const details = page.locator('[data-testid="inspector-details"]');
    assert.match(await details.textContent(), /worker-2[\s\S]*172\.18\.0\.4/);
    await page.locator('[data-testid="component-kube-scheduler"]').click();
    assert.match(await details.textContent(), /kube-scheduler/);
    await context.close();
  });
});

describe("export", () => {
  test("the cluster view saves as SVG and PNG files that open, the console as Markdown", async () => {
    const { context, page, errors } = await openPage(browser, server.url, { width: 1280, height: 720 });
    await waitForApp(page);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="pod"][data-status="Running"]').length >= 3, null, { timeout: 30_000 });
    const save = async (testid) => {
      const [download] = await Promise.all([page.waitForEvent("download"), page.click(`[data-testid="${testid}"]`)]);
      mkdirSync(SCREENSHOTS, { recursive: true });
      const path = join(SCREENSHOTS, download.suggestedFilename());
      await download.saveAs(path);
      return { name: download.suggestedFilename(), path, bytes: readFileSync(path) };
    };
    const svg = await save("export-svg");
    assert.equal(svg.name, "kubesim-cluster.svg");
    const text = svg.bytes.toString("utf8");
    assert.match(text, /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(text, /<style>[\s\S]*\.cluster-svg \{ --[a-z-]+: [^;]+;/, "the theme's colours travel with the file");
    assert.match(text, /kube-apiserver[\s\S]*worker-3[\s\S]*hello-/);
    const png = await save("export-png");
    assert.equal(png.name, "kubesim-cluster.png");
    assert.deepEqual([...png.bytes.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], "a PNG signature");
    const [width, height] = [png.bytes.readUInt32BE(16), png.bytes.readUInt32BE(20)];
    const box = await page.locator('[data-testid="cluster-svg"]').evaluate((el) => [el.viewBox.baseVal.width, el.viewBox.baseVal.height]);
    assert.deepEqual([width, height], box.map((v) => Math.round(v * 2)), "twice the drawing's size");
    // Both files open in a browser on their own (no page, no network): the SVG draws.
    const viewer = await context.newPage();
    await viewer.setContent(`<img id="svg" src="data:image/svg+xml;base64,${svg.bytes.toString("base64")}"><img id="png" src="data:image/png;base64,${png.bytes.toString("base64")}">`);
    const sizes = await viewer.evaluate(async () => Promise.all(["svg", "png"].map(async (id) => {
      const img = document.getElementById(id);
      await img.decode();
      return img.naturalWidth;
    })));
    assert.ok(sizes.every((w) => w > 300), `both images decode: ${sizes}`);
    const md = await save("console-export");
    assert.equal(md.name, "kubesim-session.md");
    assert.match(md.bytes.toString("utf8"), /^# kubesim session\n\n```console\n\$ kubectl create deployment hello --image=nginx:1\.27 --replicas=3\ndeployment\.apps\/hello created\n```\n/);
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe("screenshots", () => {
  for (const [width, height] of [[1280, 720], [1920, 1080]]) {
    for (const scheme of ["dark", "light"]) {
      test(`${width}x${height} ${scheme}`, async () => {
        const { context, page, errors, outside } = await openPage(browser, server.url, { width, height, colorScheme: scheme });
        await waitForApp(page);
        const input = page.locator('[data-testid="console-input"]');
        await input.fill("kubectl get nodes");
        await input.press("Enter");
        await page.locator('[data-testid="node-worker-2"] .node').click({ position: { x: 40, y: 20 } });
        await page.mouse.move(0, height / 2);
        await screenshot(page, `${width}x${height}-${scheme}`);
        assert.deepEqual(errors, []);
        assert.deepEqual(outside, []);
        await context.close();
      });
    }
  }
});
