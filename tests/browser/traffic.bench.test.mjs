// Frame-time benchmark for traffic (issue #9): 20 nodes × 300 pods behind a NodePort
// Service, steady traffic at 100 requests/s, and packets in flight up to the page's cap
// of 50, while headless Chromium records the time between animation frames. Like
// frames.bench.test.mjs it reports percentiles and asserts only that the load was real
// (performance is measured, not asserted); the figures go to
// target/screenshots/traffic-frame-times.json.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SCREENSHOTS, launchBrowser, openPage, screenshot, serveStatic, waitForApp } from "./harness.mjs";

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

async function run(page, command) {
  const input = page.locator('[data-testid="console-input"]');
  await input.fill(command);
  await input.press("Enter");
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

test("frame times with 20 nodes × 300 pods and 100 requests/s", async () => {
  const { context, page, errors } = await openPage(browser, server.url, { width: 1600, height: 900, path: "?demo=0" });
  await waitForApp(page);
  for (let i = 0; i < 16; i++) await run(page, "sim node add");
  await run(page, "kubectl create deployment big --image=nginx:1.27 --replicas=300");
  await run(page, "kubectl create service nodeport big --tcp=80:80 --node-port=30080");
  await page.selectOption('[data-testid="transport-speed"]', "4");
  await page.waitForFunction(() => /\b300 Running/.test(document.querySelector('[data-testid="cluster-description"]').textContent), null, { timeout: 120_000 });
  await page.selectOption('[data-testid="transport-speed"]', "1");
  await run(page, "sim traffic start --to http://172.18.0.3:30080/ --rate 50");
  await run(page, "sim traffic start --to http://172.18.0.4:30080/ --rate 50 --from internet");
  // Bursts of commands' requests on top: each is always drawn, so packets reach the cap.
  await page.evaluate(() => {
    window.__frames = [];
    window.__packets = 0;
    let last = null;
    const tick = (t) => {
      if (last !== null) window.__frames.push(t - last);
      last = t;
      window.__packets = Math.max(window.__packets, document.querySelectorAll('[data-testid="packet"]').length);
      if (!window.__stopFrames) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  for (let i = 0; i < 8; i++) {
    await run(page, `curl http://172.18.0.${3 + (i % 3)}:30080/`);
    await page.waitForTimeout(1_000);
  }
  await page.waitForTimeout(2_000);
  const { frames, packets } = await page.evaluate(() => {
    window.__stopFrames = true;
    return { frames: window.__frames, packets: window.__packets };
  });
  await screenshot(page, "bench-traffic-20-nodes-300-pods");
  const counters = await page.$eval('[data-testid="counter"].service-counter', (el) => Number(el.dataset.count)).catch(() => 0);
  assert.ok(counters > 500, `requests answered: ${counters}`);
  assert.ok(packets > 10 && packets <= 50, `packets drawn at once: ${packets}`);
  assert.ok(frames.length > 100, `only ${frames.length} frames`);
  assert.deepEqual(errors, []);

  const sorted = [...frames].sort((a, b) => a - b);
  const report = {
    scenario: "20 nodes, Deployment of 300 pods behind a NodePort, 2 generators at 50 requests/s each, a curl a second; speed 1×; 1600×900",
    frames: frames.length,
    most_packets: packets,
    requests: counters,
    p50_ms: +percentile(sorted, 50).toFixed(1),
    p95_ms: +percentile(sorted, 95).toFixed(1),
    p99_ms: +percentile(sorted, 99).toFixed(1),
    max_ms: +sorted[sorted.length - 1].toFixed(1),
  };
  mkdirSync(SCREENSHOTS, { recursive: true });
  writeFileSync(join(SCREENSHOTS, "traffic-frame-times.json"), JSON.stringify(report, null, 2) + "\n");
  console.log(`traffic frame times: p50 ${report.p50_ms} ms, p95 ${report.p95_ms} ms, p99 ${report.p99_ms} ms, most packets ${packets}, requests ${counters}`);
  await context.close();
});
