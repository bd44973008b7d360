#!/usr/bin/env node
// `npm run fuzz -- [--seconds N] [--no-build] [target ...]`: builds every
// libFuzzer target of native/fuzz/*_fuzz.cc (clang, -DWMI_PUT_FUZZ=ON: ASan +
// UBSan + coverage) into build-fuzz/, then runs each for N seconds (default 60)
// on its committed corpus native/fuzz/corpus/<name>/ (<name> = the target
// without `_fuzz`). New inputs go to a scratch directory, so the committed
// corpus stays small; a finding stops with the reproducer under
// build-fuzz/artifacts/ and a non-zero exit. Prints "N passed, N failed".
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const buildDir = path.join(root, 'build-fuzz');
const fuzzSrc = path.join(root, 'native', 'fuzz');

const argv = process.argv.slice(2);
let seconds = 60;
let build = true;
const only = [];
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--seconds') seconds = Number(argv[++i]);
  else if (a.startsWith('--seconds=')) seconds = Number(a.slice(10));
  else if (a === '--no-build') build = false;
  else only.push(a);
}
if (!Number.isInteger(seconds) || seconds <= 0) {
  console.error('fuzz: --seconds takes a positive integer');
  process.exit(2);
}

function must(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.error) throw r.error;
  if (r.status !== 0) {
    console.error(`fuzz: ${cmd} ${args.join(' ')} failed (${r.status ?? r.signal})`);
    process.exit(1);
  }
}

const targets = fs
  .readdirSync(fuzzSrc)
  .filter((f) => f.endsWith('_fuzz.cc'))
  .map((f) => f.slice(0, -3))
  .filter((t) => only.length === 0 || only.includes(t) || only.includes(t.replace(/_fuzz$/, '')))
  .sort();
if (targets.length === 0) {
  console.error(`fuzz: no target matches ${only.join(' ')}`);
  process.exit(2);
}

if (build) {
  const started = Date.now();
  console.log(`=== fuzz: build ${targets.length} targets into ${path.relative(root, buildDir)}/`);
  must('cmake', [
    '-S', root, '-B', buildDir,
    '-DWMI_PUT_FUZZ=ON',
    '-DCMAKE_CXX_COMPILER=clang++',
    '-DCMAKE_BUILD_TYPE=RelWithDebInfo',
    '-DWMI_PUT_NATIVE_TESTS=OFF',
    '-DWMI_PUT_BENCH=OFF',
  ]);
  must('cmake', ['--build', buildDir, '-j2', '--target', ...targets]);
  console.log(`=== fuzz: built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

const artifacts = path.join(buildDir, 'artifacts');
fs.mkdirSync(artifacts, { recursive: true });
let passed = 0;
let failed = 0;
for (const target of targets) {
  const exe = path.join(buildDir, 'fuzz', target);
  const corpus = path.join(fuzzSrc, 'corpus', target.replace(/_fuzz$/, ''));
  if (!fs.existsSync(exe)) {
    console.error(`fuzz: ${exe} is missing (run without --no-build)`);
    process.exit(1);
  }
  fs.mkdirSync(corpus, { recursive: true });
  for (const f of fs.readdirSync(artifacts)) if (f.startsWith(`${target}-`)) fs.rmSync(path.join(artifacts, f), { force: true });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `wmi-put-${target}-`));
  const started = Date.now();
  console.log(`\n=== fuzz: ${target} for ${seconds} s (corpus ${path.relative(root, corpus)}/)`);
  const r = spawnSync(
    exe,
    [
      `-max_total_time=${seconds}`,
      '-timeout=30',
      '-rss_limit_mb=4096',
      '-print_final_stats=1',
      `-artifact_prefix=${path.join(artifacts, `${target}-`)}`,
      scratch,
      corpus,
    ],
    {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: {
        ...process.env,
        // Leaks count: each target is fully instrumented and checks its own objects too.
        ASAN_OPTIONS: 'detect_leaks=1:allocator_may_return_null=1',
        UBSAN_OPTIONS: 'halt_on_error=1:print_stacktrace=1',
      },
    },
  );
  fs.rmSync(scratch, { recursive: true, force: true });
  const took = ((Date.now() - started) / 1000).toFixed(1);
  if (r.status === 0) {
    passed++;
    console.log(`ok ${target}: no finding in ${took} s`);
  } else {
    failed++;
    const found = fs.readdirSync(artifacts).filter((f) => f.startsWith(`${target}-`));
    console.log(`not ok ${target}: exit ${r.status ?? r.signal} after ${took} s; reproducer(s): ${found.map((f) => path.join(artifacts, f)).join(', ') || 'none'}`);
  }
}
console.log(`\nfuzz: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
