// Where the long frames of the frame benchmark go: runs the scenario of
// tests/browser/frames.bench.test.mjs (20 nodes, a Deployment of 300 pods, scaled to 150
// and back, rolled to a new image, 4×, 1600×900) under a Chrome trace and a V8 CPU
// profile, and prints, summed over the frames longer than LONG_MS (default 50):
// - the main thread's trace events by self time (Layout, Paint, FunctionCall, …);
// - the CPU samples by what they were doing: the simulation, reading the scene, setting
//   signals, Leptos' DOM effects, garbage collection, the browser's own work.
// With TRACE_SCALE=WxDxR it runs the scale bench's scenario instead
// (tests/browser/scale.bench.test.mjs: a page of W workers, `?workers=W`, and D
// Deployments × R replicas typed as one line, 16×) and traces its first TRACE_SECONDS
// (default 20) after Enter.
// Usage: KUBESIM_DIST=target/dist-dev node scripts/trace-frames.mjs [OUT]
// (OUT.json and OUT.cpuprofile, default target/frame-trace, open in Chrome's DevTools).
// A dev build (`make dev-dist`) keeps Rust function names in the profile.
import { writeFileSync } from "node:fs";
import { launchBrowser, openPage, serveStatic, waitForApp } from "../tests/browser/harness.mjs";

const LONG_MS = Number(process.env.LONG_MS ?? 50);
const out = process.argv[2] ?? "target/frame-trace";
const server = await serveStatic();
const browser = await launchBrowser();
const scale = process.env.TRACE_SCALE?.split("x").map(Number);
// The scale scenario opens the page on its cluster of W workers, as the scale bench does.
const path = scale ? `?demo=0&workers=${scale[0]}` : "?demo=0";
const { page, context } = await openPage(browser, server.url, { width: 1600, height: 900, path });
await waitForApp(page, { timeout: 600_000 });
const run = async (command) => {
  const input = page.locator('[data-testid="console-input"]');
  await input.fill(command);
  await input.press("Enter");
};
if (scale) {
  await page.selectOption('[data-testid="transport-speed"]', "16");
} else {
  for (let i = 0; i < 16; i++) await run("sim node add");
  await page.selectOption('[data-testid="transport-speed"]', "4");
}
const cdp = await context.newCDPSession(page);
await cdp.send("Profiler.enable");
await cdp.send("Profiler.setSamplingInterval", { interval: 250 });
await cdp.send("Tracing.start", {
  categories: "devtools.timeline,disabled-by-default-devtools.timeline,blink.user_timing,v8.execute",
  transferMode: "ReturnAsStream",
});
await cdp.send("Profiler.start");
// A mark per frame: the trace's frames are the gaps between two marks.
await page.evaluate(() => {
  const tick = () => {
    performance.mark("bench-frame");
    if (!window.__stopFrames) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
});
if (scale) {
  const creates = [];
  for (let d = 0; d < scale[1]; d++) creates.push(`kubectl create deployment web-${d} --image=nginx --replicas=${scale[2]}`);
  await run(creates.join("; "));
  await page.waitForTimeout(Number(process.env.TRACE_SECONDS ?? 20) * 1000);
} else {
  await run("kubectl create deployment big --image=nginx:1.27 --replicas=300");
  await page.waitForTimeout(4_000);
  await run("kubectl scale deployment big --replicas=150");
  await page.waitForTimeout(2_000);
  await run("kubectl scale deployment big --replicas=300");
  await page.waitForTimeout(3_000);
  await run("kubectl set image deployment/big nginx=nginx:1.28");
  await page.waitForTimeout(5_000);
}
await page.evaluate(() => (window.__stopFrames = true));
const { profile } = await cdp.send("Profiler.stop");
const complete = new Promise((resolve) => cdp.once("Tracing.tracingComplete", resolve));
await cdp.send("Tracing.end");
const { stream } = await complete;
let text = "";
for (let chunk = { eof: false }; !chunk.eof; ) {
  chunk = await cdp.send("IO.read", { handle: stream, size: 1 << 20 });
  text += chunk.base64Encoded ? Buffer.from(chunk.data, "base64").toString() : chunk.data;
}
const description = await page.locator('[data-testid="cluster-description"]').textContent();
await browser.close();
await server.close();
writeFileSync(`${out}.json`, text);
writeFileSync(`${out}.cpuprofile`, JSON.stringify(profile));

const parsed = JSON.parse(text);
const events = parsed.traceEvents ?? parsed;
const marks = events.filter((e) => e.name === "bench-frame" && e.ph !== "M").sort((a, b) => a.ts - b.ts);
const frames = marks.slice(1).map((mark, i) => [marks[i].ts, mark.ts]);
const sorted = frames.map(([a, b]) => (b - a) / 1000).sort((a, b) => a - b);
const pct = (p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))].toFixed(1);
console.log(`${sorted.length} frames: p50 ${pct(50)} ms, p95 ${pct(95)} ms, p99 ${pct(99)} ms, max ${sorted.at(-1).toFixed(1)} ms`);
console.log(description.replace(/.*\. (\d+ workload pods[^.]*)\..*/, "at the end: $1"));
const long = frames.filter(([a, b]) => b - a > LONG_MS * 1000);
const overlap = (t0, t1) => long.reduce((sum, [a, b]) => sum + Math.max(0, Math.min(t1, b) - Math.max(t0, a)), 0);
const ms = (us) => (us / 1000).toFixed(0).padStart(6);
console.log(`${long.length} frames over ${LONG_MS} ms, ${ms(long.reduce((s, [a, b]) => s + b - a, 0))} ms in all`);

// Trace: self time of the renderer main thread's complete events within those frames.
const pid = marks[0].pid;
const tid = events.find((e) => e.ph === "M" && e.name === "thread_name" && e.pid === pid && e.args.name === "CrRendererMain").tid;
const spans = events.filter((e) => e.pid === pid && e.tid === tid && e.ph === "X" && e.dur).sort((a, b) => a.ts - b.ts || b.dur - a.dur);
const self = new Map();
const open = [];
for (const e of spans) {
  while (open.length && open.at(-1).ts + open.at(-1).dur <= e.ts) open.pop();
  const inside = overlap(e.ts, e.ts + e.dur);
  self.set(e.name, (self.get(e.name) ?? 0) + inside);
  if (open.length) self.set(open.at(-1).name, self.get(open.at(-1).name) - inside);
  open.push(e);
}
console.log("main thread, self time:");
for (const [name, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 10)) console.log(`${ms(us)}  ${name}`);

// CPU profile: each sample goes to the first bucket any frame of its stack matches.
const buckets = [
  ["simulation (Timeline::advance_within)", /Timeline::advance_within/],
  ["reading the scene (Scene::read)", /Scene::read/],
  ["setting signals (marking subscribers)", /traits::Set>::set|mark_subscribers/],
  ["Leptos effects (DOM updates)", /QueueState::run_all/],
  ["rest of the frame loop", /Live::start_frames/],
  ["garbage collection", /^\(garbage collector\)$/],
  ["browser (style, layout, paint; not JS)", /^\(program\)$/],
  ["idle", /^\(idle\)$/],
];
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const spent = new Map();
let t = profile.startTime;
profile.samples.forEach((sample, i) => {
  t += profile.timeDeltas[i];
  const dt = profile.timeDeltas[i + 1] ?? 0;
  if (!long.some(([a, b]) => t >= a && t < b)) return;
  const stack = [];
  for (let id = sample; id !== undefined; id = parent.get(id)) stack.push(nodes.get(id).callFrame.functionName);
  const bucket = buckets.find(([, re]) => stack.some((name) => re.test(name)))?.[0] ?? "other";
  spent.set(bucket, (spent.get(bucket) ?? 0) + dt);
});
console.log("CPU samples:");
for (const [name, us] of [...spent].sort((a, b) => b[1] - a[1])) console.log(`${ms(us)}  ${name}`);

// The functions that held the CPU longest in those frames (self time), for what the
// buckets above lump together.
const selfBy = new Map();
t = profile.startTime;
profile.samples.forEach((sample, i) => {
  t += profile.timeDeltas[i];
  const dt = profile.timeDeltas[i + 1] ?? 0;
  if (!long.some(([a, b]) => t >= a && t < b)) return;
  const name = nodes.get(sample).callFrame.functionName || "(anonymous)";
  selfBy.set(name, (selfBy.get(name) ?? 0) + dt);
});
console.log("functions, self time:");
for (const [name, us] of [...selfBy].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP ?? 25))) console.log(`${ms(us)}  ${name.slice(0, 150)}`);
