// `make single`: the whole page in one HTML file (target/single/kubesim.html) that works
// opened from file:// with no network — the conference-laptop case. Reads a built page
// (default dist/) and inlines everything into it:
//
// - stylesheets become <style>, the favicon a data: URL, classic scripts inline;
// - the app's ES modules (wasm-bindgen's glue and its snippets) travel as strings and
//   are imported from blob: URLs the page makes itself (a module inlined in HTML cannot
//   be imported by another), with the WebAssembly as base64 handed to the glue's init;
// - `kubectl explain`'s documentation (fetched on demand when served) becomes inert text;
// - preload hints and integrity attributes (for files that no longer exist) go;
// - the Content-Security-Policy is rewritten for a file with no origin: scripts only by
//   the hashes of the ones inlined here (plus the blob: modules), styles by theirs, and
//   no fetch, frame or form anywhere — `connect-src 'none'` makes "no request at all" the browser's rule.
//
// usage: node scripts/single.mjs [DIST] [OUT]
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { atHeadStart } from "./head.mjs";

const root = resolve(import.meta.dirname, "..");
const dist = resolve(process.argv[2] ?? join(root, "dist"));
const out = resolve(process.argv[3] ?? join(root, "target", "single", "kubesim.html"));
if (!existsSync(join(dist, "index.html"))) {
  console.error(`single.mjs: no ${dist}/index.html; build the page first (make build)`);
  process.exit(1);
}
const read = (href) => readFileSync(join(dist, href.replace(/^\.?\//, "")));
// An attribute's value, quoted or not (the release build's minifier drops the quotes).
const attribute = (tag, name) => {
  const match = tag.match(new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s"'>]+))`, "i"));
  return match ? (match[1] ?? match[2] ?? match[3]) : undefined;
};
// Text safe inside <script>/<style>: nothing can close the element early.
const scriptSafe = (text) => text.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");

let html = read("index.html").toString("utf8");

// The start-up module (inline in trunk's output, or moved to a file by scripts/csp.mjs).
let start = null;
html = html.replace(/<script\b([^>]*)>([\s\S]*?)<\/script>/g, (whole, attributes, body) => {
  const src = attribute(attributes, "src");
  const text = src ? read(src).toString("utf8") : body;
  if (text.includes("TrunkApplicationStarted") && text.includes("module_or_path")) {
    start = text;
    return "<!--kubesim-start-->";
  }
  if (!src) return whole;
  if (attribute(attributes, "type") === "module") {
    console.error(`single.mjs: an unexpected module script ${src}`);
    process.exit(1);
  }
  return `<script>${scriptSafe(text)}</script>`;
});
if (!start) {
  console.error("single.mjs: no start-up script (TrunkApplicationStarted) in index.html");
  process.exit(1);
}
const glueHref = start.match(/from\s*['"]([^'"]+\.js)['"]/)?.[1];
const wasmHref = start.match(/module_or_path:\s*['"]([^'"]+\.wasm)['"]/)?.[1];
if (!glueHref || !wasmHref) {
  console.error("single.mjs: cannot find the glue and the wasm in the start-up script");
  process.exit(1);
}
let glue = read(glueHref).toString("utf8");
// wasm-bindgen snippets the glue imports by relative path.
const snippets = {};
for (const [, href] of glue.matchAll(/from\s*['"](\.\/snippets\/[^'"]+)['"]/g)) {
  snippets[href] = read(join(dirname(glueHref), href)).toString("utf8");
}
const wasm = read(wasmHref).toString("base64");

const boot = `
const sources = ${JSON.stringify({ glue, snippets }).replace(/</g, "\\u003c")};
const url = (text) => URL.createObjectURL(new Blob([text], { type: "text/javascript" }));
let glue = sources.glue;
// Only the import statements: the same path is also the key under which the glue hands
// the snippet to the WebAssembly module, and must stay as it is.
const urls = Object.fromEntries(Object.entries(sources.snippets).map(([href, text]) => [href, url(text)]));
glue = glue.replace(/(from\\s*['"])(\\.\\/snippets\\/[^'"]+)(['"])/g, (whole, a, href, b) => (urls[href] ? a + urls[href] + b : whole));
const bindings = await import(url(glue));
const bytes = Uint8Array.from(atob(document.getElementById("kubesim-wasm").textContent), (c) => c.charCodeAt(0));
const wasm = await bindings.default({ module_or_path: bytes });
window.wasmBindings = bindings;
dispatchEvent(new CustomEvent("TrunkApplicationStarted", { detail: { wasm } }));
`;
const hashes = [];
const inlineScript = (text, attributes = "") => {
  hashes.push(`'sha256-${createHash("sha256").update(text).digest("base64")}'`);
  return `<script${attributes}>${text}</script>`;
};
// `kubectl explain`'s documentation, which the served page fetches on first use, travels
// as inert text the page reads instead (see src/ui/explain_docs.rs).
const explainDocs = existsSync(join(dist, "explain-docs.txt")) ? read("explain-docs.txt").toString("utf8") : "";
if (scriptSafe(explainDocs) !== explainDocs) {
  console.error("single.mjs: explain-docs.txt holds text that would end its <script> early");
  process.exit(1);
}
// A function, not a string, as the replacement: the documentation's text holds `$``
// and `$$`, which String.replace would read as patterns (`$`` splices in the whole page
// before the marker and broke the file).
const startScripts =
  `<script type="application/octet-stream" id="kubesim-wasm">${wasm}</script>` +
  (explainDocs ? `<script type="text/plain" id="kubesim-explain-docs">${explainDocs}</script>` : "") +
  inlineScript(boot, ' type="module"');
html = html.replace("<!--kubesim-start-->", () => startScripts);
// Classic scripts already inlined above count too.
html = html.replace(/<script>([\s\S]*?)<\/script>/g, (whole, body) => inlineScript(body));

const styleHashes = [];
html = html.replace(/<link\b[^>]*>/g, (tag) => {
  const rel = attribute(tag, "rel");
  const href = attribute(tag, "href");
  if (rel === "stylesheet") {
    const css = scriptSafe(read(href).toString("utf8"));
    styleHashes.push(`'sha256-${createHash("sha256").update(css).digest("base64")}'`);
    return `<style>${css}</style>`;
  }
  if (rel === "icon") return `<link rel="icon" href="data:image/svg+xml;base64,${read(href).toString("base64")}">`;
  if (rel === "modulepreload" || rel === "preload") return "";
  return tag;
});

const policy = [
  "default-src 'none'",
  `script-src ${[...new Set(hashes)].join(" ")} blob: 'wasm-unsafe-eval'`,
  // The page styles through CSSOM only (no style attributes), so hashes suffice.
  `style-src ${styleHashes.join(" ")}`,
  "img-src data: blob:",
  "connect-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");
html = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/i, "");
html = atHeadStart(html, `<meta http-equiv="Content-Security-Policy" content="${policy}">`);

mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, html);
console.log(`single.mjs: ${out} (${(html.length / 1024 / 1024).toFixed(1)} MiB, from ${dist})`);
