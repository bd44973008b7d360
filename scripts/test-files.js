// The test files every runner runs (npm test, test:asan/test:tsan, test:wine):
// dist/test/**/*.test.js (compiled from test/**/*.ts) and test/**/*.test.mjs,
// outside node_modules/ and fixtures/ (lifecycle fixtures are child-process
// scripts, not test files). Paths relative to the package root, '/'-separated,
// sorted. Node 20's --test takes no globs, hence the list.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

function walk(dir, suffix, out) {
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && e.name !== 'fixtures') walk(full, suffix, out);
    } else if (e.name.endsWith(suffix)) {
      out.push(full);
    }
  }
  return out;
}

/** @param {string} root the package root */
function testFiles(root) {
  return [
    ...walk(path.join(root, 'dist', 'test'), '.test.js', []),
    ...walk(path.join(root, 'test'), '.test.mjs', []),
  ]
    .map((f) => path.relative(root, f).replace(/\\/g, '/'))
    .sort();
}

module.exports = { testFiles };
