#!/usr/bin/env node
// `npm run prebuild:win32`: cross-compiles the addon for win32-x64 with
// mingw-w64 (apt-get install mingw-w64) into build-win32/, copies it to
// prebuilds/win32-x64/<name>.node (the name prebuildify --napi gives, which
// node-gyp-build picks on Windows), and checks its PE imports.
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { checkPe } = require('./check-pe.js');

const root = path.resolve(__dirname, '..');
const buildDir = path.join(root, 'build-win32');
const toolchain = path.join(root, 'cmake', 'mingw-w64-x86_64.cmake');
const triple = 'x86_64-w64-mingw32';

function onPath(program) {
  return (process.env.PATH || '').split(path.delimiter).some((dir) => dir && fs.existsSync(path.join(dir, program)));
}

function run(cmd, args) {
  console.error(`prebuild-win32: ${path.basename(cmd)} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.error) throw new Error(`cannot run ${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${path.basename(cmd)} exited with ${r.status ?? r.signal}`);
}

function main() {
  for (const tool of [`${triple}-g++-posix`, `${triple}-dlltool`]) {
    if (!onPath(tool)) {
      console.error(`prebuild-win32: ${tool} not found; install mingw-w64 (apt-get install mingw-w64)`);
      return 1;
    }
  }
  const jobs = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  const cmakeJs = require.resolve('cmake-js/bin/cmake-js', { paths: [root] });
  run(process.execPath, [cmakeJs, 'rebuild', '--directory', root, '--out', buildDir,
    `--CDCMAKE_TOOLCHAIN_FILE=${toolchain}`, '--CDWMI_PUT_NATIVE_TESTS=OFF', '--parallel', String(Math.max(1, jobs))]);

  const outDir = path.join(buildDir, 'Release');
  const built = fs.readdirSync(outDir).filter((f) => /\.node$/.test(f));
  if (built.length !== 1) throw new Error(`expected one .node in ${outDir}, found: ${built.join(', ') || 'none'}`);

  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const destDir = path.join(root, 'prebuilds', 'win32-x64');
  const dest = path.join(destDir, `${pkg.name.replace(/\//g, '+')}.node`);
  fs.mkdirSync(destDir, { recursive: true });
  // Exactly one candidate for node-gyp-build to choose from.
  for (const f of fs.readdirSync(destDir)) if (/\.node$/.test(f)) fs.rmSync(path.join(destDir, f));
  fs.copyFileSync(path.join(outDir, built[0]), dest);
  if (onPath(`${triple}-strip`)) run(`${triple}-strip`, ['--strip-unneeded', dest]);
  console.error(`prebuild-win32: wrote ${path.relative(root, dest)} (${fs.statSync(dest).size} bytes)`);

  const { ok, problems, info } = checkPe(fs.readFileSync(dest));
  for (const { dll, functions, delay } of info ? info.imports : []) {
    console.error(`  imports ${dll}${delay ? ' (delay-load)' : ''}: ${functions.length} function(s)`);
  }
  for (const p of problems) console.error(`  FAIL: ${p}`);
  console.error(ok ? 'prebuild-win32: PE check OK' : 'prebuild-win32: PE check FAILED');
  return ok ? 0 : 1;
}

try {
  process.exitCode = main();
} catch (err) {
  console.error(`prebuild-win32: ${err.message}`);
  process.exitCode = 1;
}
