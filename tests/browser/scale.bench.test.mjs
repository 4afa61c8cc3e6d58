// Scale benchmark in the browser (issue #10): a page opened on a cluster of W worker nodes
// (`?workers=W`) and D Deployments × R replicas created by its console — one typed line
// of `;`-separated commands, as a learner could paste them — then the page left to run
// until every pod is Running.
// It is the native `cargo bench --bench scale` case, measured where learners run it: the
// release page in headless Chromium, its frame loop slicing the simulation between frames.
//
// Reported (to target/screenshots/scale-times.json and the log), never asserted:
// - boot: from opening the page to its first frame (the W nodes booted, the loading
//   indicator gone);
// - created: from pressing Enter on the create line to its last "created" on screen;
// - all Running: from that Enter to the cluster view's description counting every pod
//   Running;
// - frames: the time between animation frames from that Enter on (p95 and the longest);
// - wasm memory: the size of the module's linear memory at the end (it only grows, so
//   this is the peak the simulation needed; the JS heap is apart).
// Cases come from SCALE_CASES (`WORKERSxDEPLOYMENTSxREPLICAS`, comma-separated); the
// default is the largest one that runs in about a minute here. The test asserts only that
// the measurement happened: the nodes are there, every pod reached Running, no page errors.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SCREENSHOTS, launchBrowser, openPage, percentile, recordFrames, screenshot, serveStatic, waitForApp } from "./harness.mjs";

const CASES = (process.env.SCALE_CASES ?? "20x30x10,100x100x10").split(",").map((text) => {
  const [workers, deployments, replicas] = text.split("x").map(Number);
  assert.ok(workers >= 1 && workers <= 1023 && deployments > 0 && replicas > 0, `bad case ${text}: want WORKERSxDEPLOYMENTSxREPLICAS`);
  return { text, workers, deployments, replicas };
});
const TIMEOUT_MS = Number(process.env.SCALE_TIMEOUT_MS ?? 600_000);

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

async function type(page, line) {
  const input = page.locator('[data-testid="console-input"]');
  await input.fill(line);
  await input.press("Enter");
}

// The pods the cluster view's text alternative counts, and how many are Running.
async function podCounts(page) {
  const text = await page.locator('[data-testid="cluster-description"]').textContent();
  const total = Number(/(\d+) workload pods/.exec(text)?.[1] ?? 0);
  const running = Number(/(\d+) Running\b/.exec(text)?.[1] ?? 0);
  return { total, running };
}

async function measure(c) {
  const opened = Date.now();
  const { context, page, errors } = await openPage(browser, server.url, {
    width: 1600,
    height: 900,
    path: `?demo=0&workers=${c.workers}`,
    beforeLoad: (page) =>
      page.addInitScript(() => {
        addEventListener("TrunkApplicationStarted", (event) => {
          window.__wasm = event.detail.wasm;
        });
      }),
  });
  await waitForApp(page, { timeout: TIMEOUT_MS });
  const boot = Date.now() - opened;
  await page.selectOption('[data-testid="transport-speed"]', "16");
  const nodes = await page.locator('[data-testid="cluster-svg"] [data-testid^="node-"]').count();
  assert.equal(nodes, c.workers + 1, "every node booted");

  const creates = [];
  for (let d = 0; d < c.deployments; d++) {
    creates.push(`kubectl create deployment web-${d} --image=nginx --replicas=${c.replicas}`);
  }
  const want = c.deployments * c.replicas;
  const lastCreated = `deployment.apps/web-${c.deployments - 1} created`;
  const stopFrames = await recordFrames(page);
  const started = Date.now();
  await type(page, creates.join("; "));
  await page.waitForFunction(
    (text) => document.querySelector('[data-testid="console-output"]').textContent.includes(text),
    lastCreated,
    { timeout: TIMEOUT_MS, polling: 50 },
  );
  const created = Date.now() - started;
  let counts = { total: 0, running: 0 };
  let reported = Date.now();
  while (Date.now() - started < TIMEOUT_MS) {
    counts = await podCounts(page);
    if (counts.total === want && counts.running === want) break;
    if (Date.now() - reported > 60_000) {
      // A long case says how far it got, so a run that times out still tells something.
      reported = Date.now();
      console.log(`scale ${c.text}: after ${((reported - started) / 1000).toFixed(0)} s, ${counts.running} of ${counts.total} pods Running`);
    }
    await page.waitForTimeout(100);
  }
  const allRunning = Date.now() - started;
  const frames = (await stopFrames()).sort((a, b) => a - b);
  const clock = await page.locator('[data-testid="transport-clock"]').textContent();
  const wasmBytes = await page.evaluate(() => window.__wasm?.memory?.buffer?.byteLength ?? null);
  await screenshot(page, `bench-scale-${c.text}`);
  assert.deepEqual(counts, { total: want, running: want }, `every pod Running within ${TIMEOUT_MS} ms`);
  assert.deepEqual(errors, []);
  await context.close();
  return {
    case: c.text,
    nodes,
    pods: want,
    boot_ms: boot,
    created_ms: created,
    all_running_ms: allRunning,
    virtual_clock: clock,
    wasm_memory_mib: wasmBytes === null ? null : +(wasmBytes / 2 ** 20).toFixed(1),
    ms_per_pod: +(allRunning / want).toFixed(2),
    frames: frames.length,
    frame_p95_ms: +percentile(frames, 95).toFixed(1),
    frame_max_ms: +percentile(frames, 100).toFixed(1),
  };
}

test("workloads created by the console run to Running in the page", async () => {
  const results = [];
  for (const c of CASES) {
    const result = await measure(c);
    results.push(result);
    console.log(
      `scale ${result.case}: ${result.nodes} nodes booted in ${result.boot_ms} ms, ${result.pods} pods: created in ${result.created_ms} ms, ` +
        `all Running in ${result.all_running_ms} ms (${result.ms_per_pod} ms/pod, virtual ${result.virtual_clock}), ` +
        `wasm memory ${result.wasm_memory_mib} MiB; frames p95 ${result.frame_p95_ms} ms, max ${result.frame_max_ms} ms`,
    );
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
  writeFileSync(
    join(SCREENSHOTS, "scale-times.json"),
    JSON.stringify(
      {
        scenario:
          "release page, 1600×900, speed 16×; the page opened with ?workers=W, Deployments created by `kubectl create deployment` (one typed line), until the cluster view counts every pod Running",
        results,
      },
      null,
      2,
    ) + "\n",
  );
});
