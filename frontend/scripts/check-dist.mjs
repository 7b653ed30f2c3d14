// After `vite build`: prints the gzip size of what the first page load fetches (the entry script,
// its preloaded chunks and the stylesheets named in index.html), fails above the 200 KB budget,
// and fails if any HTML page carries inline script or style the production CSP would block.
// `--json` prints the numbers as JSON (for the benchmarks).

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const BUDGET = 200 * 1024;
const dist = new URL("../dist/", import.meta.url).pathname;
const json = process.argv.includes("--json");
const problems = [];

const index = readFileSync(join(dist, "index.html"), "utf8");
const initial = new Set();
for (const m of index.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)) initial.add(m[1]);
for (const m of index.matchAll(/<link\b[^>]*\brel="(?:stylesheet|modulepreload)"[^>]*\bhref="([^"]+)"/g)) initial.add(m[1]);
for (const m of index.matchAll(/<link\b[^>]*\bhref="([^"]+)"[^>]*\brel="(?:stylesheet|modulepreload)"/g)) initial.add(m[1]);

const files = [...initial]
  .filter((href) => href.startsWith("/assets/"))
  .map((href) => {
    const raw = readFileSync(join(dist, href));
    return { file: href, bytes: raw.length, gzip: gzipSync(raw, { level: 9 }).length };
  });
const total = files.reduce((sum, f) => sum + f.gzip, 0);
const js = files.filter((f) => f.file.endsWith(".js")).reduce((sum, f) => sum + f.gzip, 0);
const css = files.filter((f) => f.file.endsWith(".css")).reduce((sum, f) => sum + f.gzip, 0);

if (files.length === 0) problems.push("index.html references no /assets/ files");
if (total > BUDGET) problems.push(`initial JS+CSS is ${(total / 1024).toFixed(1)} KB gzip, over the 200 KB budget`);

for (const name of readdirSync(dist).filter((n) => n.endsWith(".html"))) {
  const html = readFileSync(join(dist, name), "utf8");
  for (const m of html.matchAll(/<script\b([^>]*)>/g)) {
    if (!/\bsrc=/.test(m[1])) problems.push(`${name}: inline <script>`);
  }
  if (/<style\b/i.test(html)) problems.push(`${name}: inline <style>`);
  if (/\sstyle=/i.test(html)) problems.push(`${name}: style attribute`);
  if (/\son[a-z]+=/i.test(html)) problems.push(`${name}: inline event handler`);
  if (/javascript:/i.test(html)) problems.push(`${name}: javascript: URL`);
}

if (json) {
  console.log(JSON.stringify({ total_gzip_bytes: total, js_gzip_bytes: js, css_gzip_bytes: css, budget_bytes: BUDGET, files, problems }));
} else {
  for (const f of files) console.log(`  ${f.file.padEnd(40)} ${(f.bytes / 1024).toFixed(1).padStart(7)} KB  gzip ${(f.gzip / 1024).toFixed(1).padStart(6)} KB`);
  console.log(`initial JS+CSS (gzip): ${(total / 1024).toFixed(1)} KB (JS ${(js / 1024).toFixed(1)} KB, CSS ${(css / 1024).toFixed(1)} KB; budget 200 KB)`);
  for (const p of problems) console.error(`problem: ${p}`);
}
process.exit(problems.length ? 1 : 0);
