// Shared setup for the browser tests: a tiny static file server for the built dist/
// on a free loopback port, Debian's Chromium driven by playwright-core, and a page
// wrapper that records console errors and blocks (and records) every request that is
// not to the page's own origin.
import { createServer } from "node:http";
import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { extname, join, normalize, resolve } from "node:path";
import { chromium } from "playwright-core";

export const ROOT = resolve(import.meta.dirname, "../..");
export const DIST = resolve(process.env.KUBESIM_DIST ?? join(ROOT, "dist"));
export const SCREENSHOTS = join(ROOT, "target", "screenshots");

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
  ".yaml": "text/yaml; charset=utf-8",
};

/** Serves `dir` on 127.0.0.1 at a free port, like any plain static host. */
export async function serveStatic(dir = DIST) {
  if (!existsSync(join(DIST, "index.html"))) {
    throw new Error(`no ${dir}/index.html: build the page first (trunk build --release)`);
  }
  dir = resolve(dir);
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url, "http://x").pathname);
    let file = normalize(join(dir, path));
    if (!file.startsWith(dir)) {
      response.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file)) {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    response.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    response.end(readFileSync(file));
  });
  await new Promise((ready) => server.listen(0, "127.0.0.1", ready));
  const url = `http://127.0.0.1:${server.address().port}/`;
  return { url, close: () => new Promise((done) => server.close(done)) };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * A fresh browser context and page on `baseUrl`. Returns the page with the problems seen
 * so far: `errors` (console errors and uncaught exceptions) and `outside` (requests to any
 * other origin, which are aborted). `beforeLoad(page)` runs before the page is loaded.
 */
export async function openPage(
  browser,
  baseUrl,
  { width = 1280, height = 720, colorScheme = "dark", path = "", beforeLoad = async () => {} } = {},
) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme });
  const origin = new URL(baseUrl).origin;
  const outside = [];
  const errors = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin) return route.continue();
    outside.push(url);
    return route.abort("blockedbyclient");
  });
  const page = await context.newPage();
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`exception: ${error.message}`));
  // The page's Content-Security-Policy (scripts/csp.mjs) must never have to block
  // anything: a violation means the page needs something the policy forbids, or
  // something tried to inject. Each one is an error the tests fail on.
  await page.exposeFunction("__reportCspViolation", (text) => errors.push(`csp: ${text}`));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      window.__reportCspViolation(
        `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} at ${event.sourceFile}:${event.lineNumber} (${event.sample})`,
      );
    });
  });
  await beforeLoad(page);
  await page.goto(baseUrl + path);
  return { context, page, errors, outside };
}

/** Waits until the app has mounted (the loading indicator is gone). */
export async function waitForApp(page, { timeout = 30_000 } = {}) {
  await page.locator('[data-testid="app"]').waitFor({ state: "visible", timeout });
  await page.locator('[data-testid="loading"]').waitFor({ state: "detached", timeout });
}

export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/**
 * Starts recording the time between animation frames in the page; the returned function
 * stops it and gives the gaps (ms), in order.
 */
export async function recordFrames(page) {
  await page.evaluate(() => {
    window.__frames = [];
    window.__stopFrames = false;
    let last = null;
    const tick = (t) => {
      if (last !== null) window.__frames.push(t - last);
      last = t;
      if (!window.__stopFrames) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  return () =>
    page.evaluate(() => {
      window.__stopFrames = true;
      return window.__frames;
    });
}

/** The p-th percentile of ascending `sorted`. */
export function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
