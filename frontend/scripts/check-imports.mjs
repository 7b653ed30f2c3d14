// Keeps the layers apart (a lint rule without a linter): the UI kit and lib never import app or
// feature code, and a feature may use another feature's queries (its api.ts) but not its components.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const src = new URL("../src/", import.meta.url).pathname;
const problems = [];

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

const area = (rel) => {
  const [top, sub] = rel.split("/");
  return top === "features" ? `features/${sub}` : top;
};

for (const file of walk(src)) {
  const from = relative(src, file);
  if (/\.test\.tsx?$/.test(from) || from.startsWith("testing/")) continue;
  for (const m of readFileSync(file, "utf8").matchAll(/from\s+"(\.[^"]+)"/g)) {
    const target = relative(src, resolve(dirname(file), m[1]));
    const a = area(from);
    const b = area(target);
    if (a === b) continue;
    const bad =
      ((a === "lib" || a === "components") && (b === "app" || b.startsWith("features/"))) ||
      (a.startsWith("features/") && b === "app") ||
      (a.startsWith("features/") && b.startsWith("features/") && !/\/api$/.test(target));
    if (bad) problems.push(`${from} imports ${target}`);
  }
}

for (const p of problems) console.error(`layering: ${p}`);
process.exit(problems.length ? 1 : 0);
