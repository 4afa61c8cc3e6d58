// The live cluster view in real headless Chromium (issue #5's "Done when"): the seed's
// nginx Deployment applied from the editor lands 10 pods on nodes with the messages that
// caused it; scaling in the console; a rolling update that respects maxSurge 1 /
// maxUnavailable 0 on screen, frame by frame; pause, step and rewind to before the
// update; the inspector with a pod's events; keyboard control and reduced motion.
// Screenshots go to target/screenshots/ for a person to look at.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
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

/** The project's seed notes, beside the repository (as the corpus tests read `../shared`). */
const SEED_NOTES = join(ROOT, "..", "shared", "seed", "kubernetes-notes.md");
/** The tests that apply the seed's Deployment skip, saying why, in a clone without them. */
const NO_SEED = !existsSync(SEED_NOTES) && "../shared/seed not found beside the repository, skipped";

/** The seed notes' nginx Deployment (the first ```yaml block with `kind: Deployment`). */
function seedDeployment() {
  const notes = readFileSync(SEED_NOTES, "utf8");
  const blocks = [...notes.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
  const yaml = blocks.find((b) => /kind: Deployment/.test(b) && /nginx-deployment/.test(b));
  assert.ok(yaml, "the seed's nginx-deployment example");
  return yaml.trimEnd() + "\n";
}

const WORKLOAD = "deploy/nginx-deployment";

/** The pods drawn for the seed's Deployment: [{name, node, status, ready, owner, image}]. */
async function pods(page) {
  return page.$$eval(`[data-testid="pod"][data-workload="${WORKLOAD}"]`, (elements) =>
    elements.map((el) => ({
      name: el.dataset.pod,
      node: el.dataset.node,
      status: el.dataset.status,
      ready: el.dataset.ready,
      owner: el.dataset.owner,
      image: el.dataset.image,
    })),
  );
}

async function runInConsole(page, command) {
  const input = page.locator('[data-testid="console-input"]');
  await input.fill(command);
  await input.press("Enter");
}

async function waitForPods(page, predicate, what, timeout = 30_000) {
  const start = Date.now();
  let last = [];
  while (Date.now() - start < timeout) {
    last = await pods(page);
    if (predicate(last)) return last;
    await page.waitForTimeout(100);
  }
  assert.fail(`timed out waiting for ${what}; pods: ${JSON.stringify(last)}`);
}

const running = (list) => list.filter((p) => p.status === "Running" && p.ready === "1/1");

/** Opens the page (editor open, no demo workload) and applies the seed Deployment. */
async function applySeed(options = {}) {
  const opened = await openPage(browser, server.url, { width: 1600, height: 900, path: "?demo=0", ...options });
  const { page } = opened;
  await waitForApp(page);
  await page.locator('[data-testid="editor-text"]').fill(seedDeployment());
  await page.click('[data-testid="editor-apply"]');
  return opened;
}

describe("cluster view", () => {
  test("the seed's nginx Deployment applied from the editor lands 10 pods on nodes, with the messages that caused it", { skip: NO_SEED }, async () => {
    const { context, page, errors } = await applySeed();
    assert.match(await page.locator('[data-testid="console-output"]').textContent(), /deployment\.apps\/nginx-deployment created/);
    // Within moments the pods are bound and being created.
    const bound = await waitForPods(page, (list) => list.length === 10 && list.every((p) => p.node.startsWith("worker-")), "10 bound pods");
    assert.equal(new Set(bound.map((p) => p.node)).size, 3, "spread over the three workers");
    await page.waitForSelector('[data-testid="tokens"] .token', { timeout: 5_000 });
    await screenshot(page, "cluster-apply-in-flight");
    const messages = await page.locator('[data-testid="messages-list"]').textContent();
    assert.match(messages, /kubectl → kube-apiserver/);
    assert.match(messages, /kube-scheduler → kube-apiserver.*bound nginx-deployment-[a-z0-9]+-[a-z0-9]+ to worker-\d \(\d nodes fit/);
    assert.match(messages, /replicaset-controller → kube-apiserver/);
    // Filter by component.
    await page.selectOption('[data-testid="messages-component"]', "kube-scheduler");
    const scheduler = await page.locator('[data-testid="message"]').allTextContents();
    assert.ok(scheduler.length >= 10, `scheduler messages: ${scheduler.length}`);
    assert.ok(scheduler.every((m) => m.includes("kube-scheduler")), scheduler.join("\n"));
    // And by object.
    await page.selectOption('[data-testid="messages-component"]', "");
    await page.fill('[data-testid="messages-object"]', bound[0].name);
    const one = await page.locator('[data-testid="message"]').allTextContents();
    assert.ok(one.length > 0 && one.every((m) => m.includes(bound[0].name)), one.join("\n"));
    // A click on a row (taken by the list) shows that message in the inspector.
    await page.locator('[data-testid="message"]').first().click();
    assert.match(await page.locator('[data-testid="inspector"]').textContent(), new RegExp(`Message.*${bound[0].name}`));
    assert.equal(await page.locator('.message.selected').count(), 1);
    await waitForPods(page, (list) => running(list).length === 10, "10 running pods");
    assert.match(await page.locator('[data-testid="legend"]').textContent(), /deploy\/nginx-deployment\s*10\/10/);
    await screenshot(page, "cluster-apply-running");
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("scaling in the console, then a rolling update that respects maxSurge 1 and maxUnavailable 0 on screen", { skip: NO_SEED }, async () => {
    const { context, page, errors } = await applySeed();
    await waitForPods(page, (list) => running(list).length === 10, "10 running pods");
    await runInConsole(page, "kubectl scale deployment nginx-deployment --replicas=6");
    await waitForPods(page, (list) => list.length === 6 && running(list).length === 6, "6 pods after scaling down");
    const before = await pods(page);
    const oldOwner = before[0].owner;

    // Watch every frame: never more than 6 + 1 pods that are not terminating, never
    // fewer than 6 - 0 running and ready.
    await page.selectOption('[data-testid="transport-speed"]', "2");
    await page.evaluate((workload) => {
      window.__rollout = { maxPods: 0, minReady: Infinity, frames: 0, done: false };
      const sample = () => {
        const els = [...document.querySelectorAll(`[data-testid="pod"][data-workload="${workload}"]`)];
        const live = els.filter((el) => el.dataset.status !== "Terminating");
        const ready = els.filter((el) => el.dataset.status === "Running" && el.dataset.ready === "1/1");
        const r = window.__rollout;
        r.frames += 1;
        r.maxPods = Math.max(r.maxPods, live.length);
        r.minReady = Math.min(r.minReady, ready.length);
        r.images = [...new Set(els.map((el) => el.dataset.image))];
        if (!r.done) requestAnimationFrame(sample);
      };
      requestAnimationFrame(sample);
    }, WORKLOAD);
    await runInConsole(page, "kubectl set image deployment/nginx-deployment nginx=nginx:1.27");
    await page.waitForTimeout(1500);
    await screenshot(page, "cluster-rolling-update");
    const after = await waitForPods(
      page,
      (list) => list.length === 6 && running(list).length === 6 && list.every((p) => p.image === "nginx:1.27"),
      "6 running pods on the new image",
      60_000,
    );
    const rollout = await page.evaluate(() => {
      window.__rollout.done = true;
      return window.__rollout;
    });
    assert.ok(rollout.frames > 30, `sampled ${rollout.frames} frames`);
    assert.equal(rollout.maxPods, 7, "maxSurge 1: at most 7 pods that are not terminating");
    assert.equal(rollout.minReady, 6, "maxUnavailable 0: never fewer than 6 ready");
    assert.notEqual(after[0].owner, oldOwner, "the new pods belong to a new ReplicaSet");

    // Pause, step, and rewind to before the update.
    await page.click('[data-testid="transport-play"]');
    assert.equal(await page.locator('[data-testid="transport-status"]').textContent(), "paused");
    const clockBefore = await page.locator('[data-testid="transport-clock"]').textContent();
    await page.click('[data-testid="transport-step"]');
    const clockAfter = await page.locator('[data-testid="transport-clock"]').textContent();
    assert.ok(clockAfter > clockBefore, `step moves time: ${clockBefore} → ${clockAfter}`);
    const markers = page.locator('[data-testid="timeline-marker"]');
    assert.equal(await markers.count(), 3, "apply, scale and set image");
    await markers.nth(2).click();
    const rewound = await waitForPods(page, (list) => list.length === 6, "the state before the update", 10_000);
    assert.ok(rewound.every((p) => p.owner === oldOwner && p.image === "hello-seattle:latest"), JSON.stringify(rewound));
    assert.deepEqual(rewound.map((p) => p.name).sort(), before.map((p) => p.name).sort(), "the very same pods as before");
    assert.equal(await page.locator('[data-testid="transport-status"]').textContent(), "paused");
    await screenshot(page, "cluster-rewound");
    // Playing on replays the update, as recorded.
    await page.click('[data-testid="transport-play"]');
    assert.equal(await page.locator('[data-testid="transport-status"]').textContent(), "replaying");
    await waitForPods(page, (list) => list.length === 6 && list.every((p) => p.image === "nginx:1.27" && p.status === "Running"), "the update replayed", 60_000);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("the inspector shows a pod's events, owners, describe and YAML", { skip: NO_SEED }, async () => {
    const { context, page, errors } = await applySeed();
    await waitForPods(page, (list) => running(list).length === 10, "10 running pods");
    const pod = page.locator(`[data-testid="pod"][data-workload="${WORKLOAD}"]`).first();
    const name = await pod.getAttribute("data-pod");
    await pod.click();
    assert.equal(await page.locator('[data-testid="inspector-title"]').textContent(), name);
    const events = await page.locator('[data-testid="inspector-events"]').textContent();
    for (const reason of ["Scheduled", "Pulling", "Pulled", "Created", "Started"]) {
      assert.match(events, new RegExp(reason), `event ${reason}`);
    }
    assert.match(events, new RegExp(`Successfully assigned default/${name} to worker-\\d`));
    assert.match(await page.locator('[data-testid="inspector-owners"]').textContent(), /rs\/nginx-deployment-[a-z0-9]+.*deploy\/nginx-deployment/);
    assert.match(await page.locator('[data-testid="inspector-describe"]').textContent(), new RegExp(`Name:\\s+${name}[\\s\\S]*Controlled By:\\s+ReplicaSet/nginx-deployment-`));
    await page.click('[data-testid="inspector"] summary:has-text("-o yaml")');
    await page.waitForFunction(() => document.querySelector('[data-testid="inspector-yaml"]').textContent.includes("kind: Pod"));
    await screenshot(page, "inspector-pod");
    // The owner chain navigates to the Deployment.
    await page.click('[data-testid="inspector-owners"] button:has-text("deploy/nginx-deployment")');
    assert.equal(await page.locator('[data-testid="inspector-title"]').textContent(), "nginx-deployment");
    assert.match(await page.locator('[data-testid="inspector-events"]').textContent(), /ScalingReplicaSet/);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("first look: the demo workload moves within a second, with a hint", async () => {
    const { context, page, errors } = await openPage(browser, server.url);
    await waitForApp(page);
    await page.waitForSelector('[data-testid="pod"][data-workload="deploy/hello"]', { timeout: 1_000 });
    await page.waitForSelector('[data-testid="tokens"] .token', { timeout: 1_000 });
    assert.match(await page.locator('[data-testid="hint"]').textContent(), /kubectl scale deployment hello/);
    assert.match(await page.locator('[data-testid="service-hello"]').getAttribute("aria-label"), /Service hello at 10\.(9[6-9]|1[01][0-9])\.\d+\.\d+/);
    await page.waitForTimeout(600);
    await screenshot(page, "first-look-1280x720");
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("keyboard: space pauses, arrows step and go back, +/- change speed; zoom buttons", async () => {
    const { context, page, errors } = await openPage(browser, server.url);
    await waitForApp(page);
    await page.locator('[data-testid="app-bar"]').click({ position: { x: 5, y: 5 } });
    const status = page.locator('[data-testid="transport-status"]');
    await page.keyboard.press("Space");
    assert.equal(await status.textContent(), "paused");
    const clock = page.locator('[data-testid="transport-clock"]');
    const t0 = await clock.textContent();
    await page.keyboard.press("ArrowRight");
    const t1 = await clock.textContent();
    assert.ok(t1 > t0, `→ steps: ${t0} → ${t1}`);
    await page.keyboard.press("+");
    assert.equal(await page.locator('[data-testid="transport-speed"]').inputValue(), "2");
    await page.keyboard.press("-");
    await page.keyboard.press("-");
    assert.equal(await page.locator('[data-testid="transport-speed"]').inputValue(), "0.5");
    await page.keyboard.press("ArrowLeft");
    assert.equal(await clock.textContent(), "00:00:00.0");
    await page.keyboard.press("Space");
    assert.match(await status.textContent(), /replaying|live/);
    // Typing in the console is not a shortcut.
    await page.locator('[data-testid="console-input"]').press("Space");
    assert.match(await status.textContent(), /replaying|live/);
    // Every pod is reachable by Tab and Enter selects it.
    const pod = page.locator('[data-testid="pod"]').first();
    await pod.focus();
    await page.keyboard.press("Enter");
    assert.equal(await page.locator('[data-testid="inspector-title"]').textContent(), await pod.getAttribute("data-pod"));
    const width = async () => Number(await page.locator('[data-testid="cluster-svg"]').getAttribute("width"));
    const fit = await width();
    await page.click('[data-testid="zoom-in"]');
    assert.ok((await width()) > fit * 1.2);
    await page.click('[data-testid="zoom-fit"]');
    assert.equal(await width(), fit);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("reduced motion: messages fade at their receiver instead of travelling", async () => {
    const { context, page, errors } = await openPage(browser, server.url, {
      beforeLoad: async (p) => p.emulateMedia({ reducedMotion: "reduce" }),
    });
    await waitForApp(page);
    await page.waitForSelector('[data-testid="tokens"] .token', { timeout: 2_000 });
    const tokens = await page.$$eval('[data-testid="tokens"] .token', (els) => els.map((el) => ({ transform: el.getAttribute("transform"), cx: el.getAttribute("cx") })));
    assert.ok(tokens.every((t) => t.transform === null && t.cx !== null), JSON.stringify(tokens.slice(0, 3)));
    const animation = await page.$eval('[data-testid="pod"]', (el) => getComputedStyle(el).animationName);
    assert.equal(animation, "none");
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("20 nodes and 300 pods stay readable: pods grouped by owner, text alternative", async () => {
    const { context, page, errors } = await openPage(browser, server.url, { path: "?demo=0" });
    await waitForApp(page);
    for (let i = 0; i < 16; i++) await runInConsole(page, "sim node add");
    await runInConsole(page, "kubectl create deployment big --image=nginx:1.27 --replicas=300");
    await page.selectOption('[data-testid="transport-speed"]', "16");
    await page.waitForFunction(() => document.querySelectorAll('[data-testid^="node-"]').length === 20, null, { timeout: 10_000 });
    await page.waitForFunction(
      () => /300 workload pods: 300 Running/.test(document.querySelector('[data-testid="cluster-description"]').textContent),
      null,
      { timeout: 60_000 },
    );
    const groups = await page.$$eval('[data-testid="pod-group"]', (els) => els.map((el) => Number(el.dataset.count)));
    assert.equal(groups.reduce((a, b) => a + b, 0), 300, "every pod is in a group row");
    await screenshot(page, "scale-20-nodes-300-pods");
    await page.click('[data-testid="zoom-out"]');
    await screenshot(page, "scale-20-nodes-300-pods-zoomed-out");
    // 300 pods' story is longer than the message log keeps: the panel says what it dropped.
    await page.click('[data-testid="tab-messages"]');
    const dropped = page.locator('[data-testid="messages-dropped"]');
    await dropped.waitFor({ timeout: 10_000 });
    assert.match(await dropped.textContent(), /^\d+ older messages dropped$/);
    await dropped.scrollIntoViewIfNeeded();
    await screenshot(page, "messages-older-dropped");
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("a drawing larger than its panel draws the cards near the part in sight in full, the rest slim; a scroll brings them", async () => {
    const { context, page, errors } = await openPage(browser, server.url, { width: 1600, height: 900, path: "?demo=0" });
    await waitForApp(page);
    for (let i = 0; i < 9; i++) await runInConsole(page, "sim node add");
    await runInConsole(page, "kubectl create deployment spread --image=nginx --replicas=36");
    await page.selectOption('[data-testid="transport-speed"]', "16");
    await page.waitForFunction(
      () => /36 workload pods: 36 Running/.test(document.querySelector('[data-testid="cluster-description"]').textContent),
      null,
      { timeout: 60_000 },
    );
    // Zoomed in to the largest: the drawing is several panels tall.
    for (let i = 0; i < 5; i++) await page.click('[data-testid="zoom-in"]');
    const canvas = page.locator('[data-testid="cluster-canvas"]');
    const [scrollHeight, clientHeight] = await canvas.evaluate((el) => [el.scrollHeight, el.clientHeight]);
    assert.ok(scrollHeight > 3 * clientHeight, `${scrollHeight} px of drawing in a ${clientHeight} px panel`);
    // The nodes whose pods are drawn, by the pods' data-node.
    const drawnNodes = () =>
      page.$$eval('[data-testid="cluster-svg"] [data-testid="pod"]', (els) => [...new Set(els.map((el) => el.dataset.node))].sort());
    const nodes = await page.locator('[data-testid="cluster-svg"] [data-testid^="node-"]').count();
    assert.equal(nodes, 13, "every node card is drawn, pods or not");
    const atTop = await drawnNodes();
    assert.ok(atTop.length > 0 && !atTop.includes("worker-12"), `at the top: pods of ${atTop}`);
    // A card out of the window is drawn slim: its outline, without name, status or agents.
    const agents = (node) => page.locator(`[data-testid="agent-${node}-kubelet"]`).count();
    assert.equal(await agents("worker-1"), 1, "a card in sight has its agents");
    assert.equal(await agents("worker-12"), 0, "a card far out of sight has none");
    assert.equal(await page.locator('[data-testid="node-worker-12"] .card.slim').count(), 1);
    await canvas.evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await page.waitForFunction(
      () => [...document.querySelectorAll('[data-testid="cluster-svg"] [data-testid="pod"]')].some((el) => el.dataset.node === "worker-12"),
      null,
      { timeout: 5_000 },
    );
    const atBottom = await drawnNodes();
    assert.ok(!atBottom.includes("worker-1"), `at the bottom: pods of ${atBottom}`);
    assert.equal(await agents("worker-12"), 1, "scrolled into sight, the card is drawn in full");
    assert.equal(await page.locator('[data-testid="node-worker-12"] .card.slim').count(), 0);
    await screenshot(page, "scrolled-to-the-last-node");
    // A saved drawing is the whole drawing: every node's pods, those out of the window too.
    const [download] = await Promise.all([page.waitForEvent("download"), page.click('[data-testid="export-svg"]')]);
    const saved = readFileSync(await download.path(), "utf8");
    for (const node of ["worker-1", "worker-12"]) {
      assert.match(saved, new RegExp(`data-node="${node}"`), `the saved SVG has ${node}'s pods`);
      assert.match(saved, new RegExp(`data-testid="agent-${node}-kubelet"`), `the saved SVG has ${node}'s agents`);
    }
    await page.waitForFunction(
      () => ![...document.querySelectorAll('[data-testid="cluster-svg"] [data-testid="pod"]')].some((el) => el.dataset.node === "worker-1"),
      null,
      { timeout: 5_000 },
    );
    assert.deepEqual(errors, []);
    await context.close();
  });
});
