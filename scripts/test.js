#!/usr/bin/env node
// `npm test`: type-check and compile (tsc), then run every test file with
// node's test runner: dist/test/**/*.test.js (compiled from test/**/*.ts) and
// test/**/*.test.mjs. Node 20's --test takes no globs, so the files are listed
// here. Extra arguments go to node before the file list, e.g.
//   npm test -- --test-name-pattern=putInstance
'use strict';

const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { testFiles } = require('./test-files');

const root = path.resolve(__dirname, '..');

const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
const compiled = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.json')], { cwd: root, stdio: 'inherit' });
if (compiled.status !== 0) {
  console.error(`npm test: tsc failed (${compiled.status ?? compiled.signal})`);
  process.exit(1);
}

const files = testFiles(root);
if (files.length === 0) {
  console.error('npm test: no test files found');
  process.exit(1);
}

const run = spawnSync(process.execPath, ['--test', ...process.argv.slice(2), ...files], { cwd: root, stdio: 'inherit' });
process.exit(run.status ?? 1);
