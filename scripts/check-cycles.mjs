#!/usr/bin/env node
// Fails if any module in src/ imports, directly or through others, a module that imports
// it back. Type-only imports count too: layers point one way (docs/architecture.md).
// Test files are exempt. Prints each cycle as a -> b -> a.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const files = [];
(function walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path);
    else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) files.push(path);
  }
})(join(root, 'src'));

const known = new Set(files);
const SPECIFIER = /^\s*(?:import|export)\s+[^'"]*?from\s+['"](\.[^'"]+)['"]/gm;
const graph = new Map();
for (const file of files) {
  const deps = [];
  for (const m of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
    const base = resolve(dirname(file), m[1]);
    const hit = [
      base,
      `${base}.ts`,
      `${base}.tsx`,
      join(base, 'index.ts'),
      join(base, 'index.tsx'),
    ].find((c) => known.has(c));
    if (hit) deps.push(hit);
  }
  graph.set(file, deps);
}

const state = new Map();
const stack = [];
const cycles = [];
function visit(file) {
  state.set(file, 'open');
  stack.push(file);
  for (const dep of graph.get(file) ?? []) {
    if (state.get(dep) === 'open') cycles.push([...stack.slice(stack.indexOf(dep)), dep]);
    else if (!state.has(dep)) visit(dep);
  }
  stack.pop();
  state.set(file, 'done');
}
for (const file of files) if (!state.has(file)) visit(file);

if (cycles.length > 0) {
  for (const c of cycles) console.error(c.map((f) => relative(root, f)).join(' -> '));
  console.error(`check-cycles: ${cycles.length} import cycle(s) in src/.`);
  process.exit(1);
}
console.log(`check-cycles: ${files.length} modules in src/, no import cycles.`);
