// trunk post-build hook (Trunk.toml [[hooks]]): gives the built page a strict
// Content-Security-Policy.
//
// trunk 0.21 starts the app from an inline `<script type="module">` (import the
// wasm-bindgen glue, init, fire TrunkApplicationStarted) and has no option to emit it as
// a file (trunk-rs/trunk#288). A policy without 'unsafe-inline' would block it, so this
// moves it into a content-hashed file beside the glue and loads it by `src`, then puts the
// policy first in <head>. Any other inline script is an error: the page must not need one.
// `trunk serve` injects its own inline live-reload script; with it present the policy is
// left out (a dev server only), and the hook says so.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { atHeadStart } from "./head.mjs";

export const POLICY = [
  "default-src 'self'",
  // 'wasm-unsafe-eval' lets the page compile its own WebAssembly, nothing more.
  "script-src 'self' 'wasm-unsafe-eval'",
  // The PNG export draws the cluster view's SVG through a blob: image (src/ui/export.js).
  "img-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join("; ");

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error("csp.mjs: TRUNK_STAGING_DIR is not set (run by trunk as a post_build hook)");
  process.exit(1);
}
const base = process.env.TRUNK_PUBLIC_URL ?? "./";
const htmlPath = join(staging, "index.html");
let html = readFileSync(htmlPath, "utf8");

let devServer = false;
html = html.replace(/<script\b([^>]*)>([\s\S]*?)<\/script>/g, (whole, attributes, body) => {
  if (/\bsrc\s*=/.test(attributes) || body.trim() === "") return whole;
  if (body.includes("TrunkApplicationStarted")) {
    const name = `start-${createHash("sha256").update(body).digest("hex").slice(0, 16)}.js`;
    writeFileSync(join(staging, name), body.trim() + "\n");
    return `<script type="module" src="${base}${name}"></script>`;
  }
  if (body.includes("__TRUNK_ADDRESS__") || body.includes("__TRUNK_WS")) {
    devServer = true;
    return whole;
  }
  console.error(`csp.mjs: index.html has an inline script the policy would block:\n${body.slice(0, 200)}`);
  process.exit(1);
});

if (/\son[a-z]+\s*=/i.test(html.replace(/<script\b[\s\S]*?<\/script>/g, ""))) {
  console.error("csp.mjs: index.html has an inline event handler attribute the policy would block");
  process.exit(1);
}

// trunk checks its own preloads' integrity in CORS mode (`crossorigin="anonymous"`), but
// not the stylesheets' and boot.js's. In a sandboxed iframe (an opaque origin) every
// request is cross-origin, and an integrity check without CORS blocks the file: the page
// ran unstyled, with no theme or banner code. CORS mode costs a same-origin page nothing.
html = html.replace(/<(link|script)\b([^>]*\bintegrity=[^>]*)>/g, (whole, tag, attributes) =>
  /\bcrossorigin\b/.test(attributes) ? whole : `<${tag} crossorigin="anonymous"${attributes}>`,
);

if (devServer) {
  console.error("csp.mjs: trunk serve's live-reload script is inline; no Content-Security-Policy in this dev build");
} else {
  const meta = `<meta http-equiv="Content-Security-Policy" content="${POLICY}">`;
  html = atHeadStart(html, meta);
  if (!html.includes(meta)) {
    console.error("csp.mjs: index.html has no place for the policy");
    process.exit(1);
  }
}
writeFileSync(htmlPath, html);

