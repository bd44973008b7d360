#!/usr/bin/env node
// `npm run test:asan` / `npm run test:tsan`: builds the addon and the native
// test binary with a sanitizer into their own build directory (build-asan/,
// build-tsan/; never build/), then runs the whole test suite against that
// build: the native tests (test/native.test.mjs with WMI_PUT_NATIVE_TESTS_BIN)
// and every JS test file (the addon is loaded through WMI_PUT_ADDON_PATH, which
// lib/binding.ts honours before node-gyp-build's build/Release).
//
// node itself is not instrumented, so the sanitizer runtime is preloaded
// (LD_PRELOAD) into every node process of the run; the children that tests
// spawn (lifecycle fixtures, workers) inherit it.
//   - address: ASan + UBSan. LeakSanitizer is off for node processes (node and
//     V8 do not free everything at exit; the addon's own leaks are caught by
//     the live counters that every test file checks, test/leak-check.ts); the
//     native test binary, which is fully instrumented, runs with LSan on
//     (through a small wrapper, scripts/sanitizers/native-tests.js) and the
//     suppressions in scripts/sanitizers/lsan.supp.
//   - thread: TSan, with scripts/sanitizers/tsan.supp for races inside node
//     itself only.
// Any report stops the process that made it (halt_on_error), so it fails the
// test that ran it.
//
// Usage: node scripts/test-sanitize.js address|thread [--no-build] [-- <node --test args>]
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { testFiles } = require('./test-files');

const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const kind = args[0];
if (kind !== 'address' && kind !== 'thread') {
  console.error('usage: node scripts/test-sanitize.js address|thread [--no-build] [-- <node --test args>]');
  process.exit(2);
}
const dashes = args.indexOf('--');
const own = dashes >= 0 ? args.slice(1, dashes) : args.slice(1);
const testArgs = dashes >= 0 ? args.slice(dashes + 1) : [];
const build = !own.includes('--no-build');
const tag = kind === 'address' ? 'asan' : 'tsan';
const buildDir = path.join(root, `build-${tag}`);
const sanDir = path.join(root, 'scripts', 'sanitizers');

function step(name) {
  console.log(`\n=== test:${tag}: ${name}`);
  return Date.now();
}
function done(started) {
  console.log(`=== test:${tag}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
function run(cmd, argv, options = {}) {
  const r = spawnSync(cmd, argv, { cwd: root, stdio: 'inherit', ...options });
  if (r.error) throw r.error;
  return r.status ?? 128;
}
function must(cmd, argv, options) {
  const status = run(cmd, argv, options);
  if (status !== 0) {
    console.error(`test:${tag}: ${cmd} ${argv.join(' ')} failed (${status})`);
    process.exit(1);
  }
}

// --- build -------------------------------------------------------------------
if (build) {
  let t = step(`configure ${path.relative(root, buildDir)}/ (WMI_PUT_SANITIZE=${kind})`);
  must('cmake', [
    '-S', root, '-B', buildDir,
    `-DWMI_PUT_SANITIZE=${kind}`,
    // -O2 -g: line numbers in every report.
    '-DCMAKE_BUILD_TYPE=RelWithDebInfo',
    '-DWMI_PUT_NATIVE_TESTS=ON',
    '-DWMI_PUT_BENCH=OFF',
  ]);
  done(t);
  t = step('build the addon and the native tests');
  must('cmake', ['--build', buildDir, '-j2', '--target', 'wmi_put', 'wmi_put_native_tests']);
  done(t);
  t = step('compile TypeScript (tsc)');
  const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  must(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.json')]);
  done(t);
}

const addon = path.join(buildDir, 'Release', 'wmi_put.node');
const nativeTests = path.join(buildDir, 'tests', 'wmi_put_native_tests');
for (const f of [addon, nativeTests]) {
  if (!fs.existsSync(f)) {
    console.error(`test:${tag}: ${f} is missing (run without --no-build)`);
    process.exit(1);
  }
}

// --- environment ---------------------------------------------------------------
function runtimeLibrary(name) {
  const r = spawnSync(process.env.CXX || 'g++', [`-print-file-name=${name}`], { encoding: 'utf8' });
  const file = (r.stdout || '').trim();
  if (r.status !== 0 || !path.isAbsolute(file) || !fs.existsSync(file)) {
    console.error(`test:${tag}: cannot find ${name} (g++ -print-file-name=${name} gave '${file}')`);
    process.exit(1);
  }
  return file;
}

const env = { ...process.env };
delete env.NODE_OPTIONS;
env.WMI_PUT_ADDON_PATH = addon;
env.WMI_PUT_NATIVE_TESTS_BIN = path.join(sanDir, 'native-tests.js');
env.WMI_PUT_SANITIZER_NATIVE_TESTS = nativeTests;
if (kind === 'address') {
  env.LD_PRELOAD = runtimeLibrary('libasan.so');
  env.ASAN_OPTIONS = [
    'detect_leaks=0', // node/V8 keep memory until exit; see the header comment
    'halt_on_error=1',
    'abort_on_error=0',
    'detect_stack_use_after_return=0',
    'allocator_may_return_null=1', // the addon handles a failed allocation (E_OUTOFMEMORY)
    'print_summary=1',
  ].join(':');
  env.UBSAN_OPTIONS = 'halt_on_error=1:print_stacktrace=1:print_summary=1';
  // Used by native-tests.js: the native binary is fully instrumented, so leaks count there.
  env.WMI_PUT_NATIVE_ASAN_OPTIONS = [
    'detect_leaks=1',
    'halt_on_error=1',
    'allocator_may_return_null=1',
    `suppressions=${path.join(sanDir, 'lsan.supp')}`,
  ].join(':');
  env.LSAN_OPTIONS = `suppressions=${path.join(sanDir, 'lsan.supp')}:print_suppressions=0`;
} else {
  env.LD_PRELOAD = runtimeLibrary('libtsan.so');
  env.TSAN_OPTIONS = [
    'halt_on_error=1',
    `suppressions=${path.join(sanDir, 'tsan.supp')}`,
    'second_deadlock_stack=1',
    'history_size=4',
    'report_signal_unsafe=0', // node's own signal handlers allocate
  ].join(':');
}

// --- run the suite ---------------------------------------------------------------
const files = testFiles(root);

const t = step(`node --test: ${files.length} files against ${path.relative(root, addon)} (LD_PRELOAD=${env.LD_PRELOAD})`);
const status = run(process.execPath, ['--test', ...testArgs, ...files], { env });
done(t);
process.exit(status);
