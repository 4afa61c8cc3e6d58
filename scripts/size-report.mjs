// What a browser downloads for the page: every file of a built dist/ (`trunk build
// --release`), raw, gzip (level 9) and brotli (quality 11) -- what a static host with
// compression serves. Usage: node scripts/size-report.mjs [DIST_DIR]. Uses only node's
// built-in zlib, so it needs nothing installed.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";

const dist = process.argv[2] ?? "dist";

function filesUnder(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function sizes(bytes) {
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }).length,
  };
}

const kb = (n) => `${(n / 1024).toFixed(1)} KiB`.padStart(11);

let files;
try {
  files = filesUnder(dist).sort();
} catch {
  console.error(`size-report: no ${dist}/ -- build it first: trunk build --release`);
  process.exit(1);
}
if (files.length === 0) {
  console.error(`size-report: ${dist}/ is empty`);
  process.exit(1);
}

// Files the page fetches only when a feature first needs them (not part of the first
// download): `kubectl explain`'s documentation.
const ON_DEMAND = new Set(["explain-docs.txt"]);
const all = files.map((path) => ({ name: relative(dist, path), ...sizes(readFileSync(path)) }));
const rows = all.filter((row) => !ON_DEMAND.has(row.name));
const onDemand = all.filter((row) => ON_DEMAND.has(row.name));
const total = rows.reduce(
  (sum, row) => ({ raw: sum.raw + row.raw, gzip: sum.gzip + row.gzip, brotli: sum.brotli + row.brotli }),
  { raw: 0, gzip: 0, brotli: 0 },
);
const width = Math.max(5, ...all.map((row) => row.name.length));
const line = (name, s) => `${name.padEnd(width)} ${kb(s.raw)} ${kb(s.gzip)} ${kb(s.brotli)}`;

console.log(`${"file".padEnd(width)} ${"raw".padStart(11)} ${"gzip".padStart(11)} ${"brotli".padStart(11)}`);
for (const row of rows) console.log(line(row.name, row));
console.log("-".repeat(width + 36));
console.log(line("total", total));
if (onDemand.length) {
  console.log("fetched on demand, not in the total:");
  for (const row of onDemand) console.log(line(row.name, row));
}
