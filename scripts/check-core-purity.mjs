#!/usr/bin/env node
// Fails if src/core (the simulation engine) reaches for wall-clock time, ambient randomness,
// timers, the DOM, or UI libraries. The engine must run identically in Node and the browser
// and replay exactly from a seed, so these are bugs there, not style.
// Test files (*.test.ts) are exempt. Prints file:line: reason for each hit.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const coreDir = join(root, 'src', 'core');

const FORBIDDEN = [
  [/\bMath\.random\b/, 'Math.random: use the seeded random stream'],
  [/\bDate\.now\b/, 'Date.now: use simulated time'],
  [/\bperformance\.now\b/, 'performance.now: use simulated time'],
  [/\bnew\s+Date\s*\(/, 'new Date(: use simulated time'],
  [/\bsetTimeout\b/, 'setTimeout: schedule an event on the simulation queue'],
  [/\bsetInterval\b/, 'setInterval: schedule an event on the simulation queue'],
  [/\brequestAnimationFrame\b/, 'requestAnimationFrame: the playback loop lives in src/store'],
  [/\bdocument\./, 'document.: no DOM in src/core'],
  [/\bwindow\./, 'window.: no DOM in src/core'],
];

const UI_MODULES = /^(?:react|react-dom|zustand|@xyflow\/react|framer-motion|motion)(?:\/.*)?$/;
// `import ... from 'x'`, `export ... from 'x'`, `import 'x'`, `import('x')`, `require('x')`.
const IMPORT_SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)(['"])([^'"]+)\1/g;

function* walk(dir) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch (error) {
    if (error.code === 'ENOENT') return;
    throw error;
  }
  for (const name of entries.sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      yield* walk(path);
    } else if (/\.(?:ts|tsx|mts|cts)$/.test(name) && !/\.test\.tsx?$/.test(name)) {
      yield path;
    }
  }
}

/** Blanks out comments (keeping newlines) so commented-out code and docs do not count. */
function stripComments(source) {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, (block) => block.replace(/[^\n]/g, ' '))
    .replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

const problems = [];
let files = 0;
for (const file of walk(coreDir)) {
  files += 1;
  const lines = stripComments(readFileSync(file, 'utf8')).split('\n');
  const shown = relative(root, file);
  lines.forEach((line, index) => {
    for (const [pattern, reason] of FORBIDDEN) {
      if (pattern.test(line)) problems.push(`${shown}:${index + 1}: ${reason}`);
    }
    for (const match of line.matchAll(IMPORT_SPECIFIER)) {
      const specifier = match[2];
      if (UI_MODULES.test(specifier)) {
        problems.push(
          `${shown}:${index + 1}: imports '${specifier}': src/core must not use UI libraries`,
        );
      }
    }
  });
}

if (problems.length > 0) {
  console.error(`check-core-purity: ${problems.length} problem(s) in src/core:`);
  for (const problem of problems) console.error(`  ${problem}`);
  process.exit(1);
}
console.log(`check-core-purity: ${files} file(s) in src/core are pure.`);
