#!/usr/bin/env node
// Stand-in for node-gyp when prebuildify runs (`prebuildify --node-gyp=scripts/prebuild-shim.js`).
// prebuildify 6 has no cmake-js backend: it spawns
//   <node-gyp> rebuild --target=<v> --devdir=<dir> [--arch=<a>] [--release|--debug]
// and then takes the first .node in build/Release (or build/Debug). This turns
// that into `cmake-js rebuild [--arch A] [--debug]` without the native tests.
// --target is ignored: the addon uses Node-API only (NAPI_VERSION 8), so one
// build serves every Node version that has it.
'use strict';

const { spawnSync } = require('node:child_process');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const argv = process.argv.slice(2);
if (argv[0] !== 'rebuild') {
  console.error(`prebuild-shim: only "rebuild" is supported (got: ${argv.join(' ')})`);
  process.exit(2);
}

const args = [require.resolve('cmake-js/bin/cmake-js', { paths: [root] }), 'rebuild', '--directory', root,
  '--CDWMI_PUT_NATIVE_TESTS=OFF'];
for (const arg of argv.slice(1)) {
  const m = /^--([^=]+)(?:=(.*))?$/.exec(arg);
  if (!m) continue;
  if (m[1] === 'arch' && m[2]) args.push('--arch', m[2]);
  else if (m[1] === 'debug') args.push('--debug');
  else if (m[1] === 'runtime' && m[2] && m[2] !== 'node') {
    console.error(`prebuild-shim: runtime "${m[2]}" is not supported`);
    process.exit(2);
  }
  // --target, --devdir, --release, --dist-url: nothing to do for a Node-API build.
}
const jobs = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
args.push('--parallel', String(Math.max(1, jobs)));

console.error(`prebuild-shim: cmake-js ${args.slice(1).join(' ')}`);
const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
if (result.error) {
  console.error(`prebuild-shim: ${result.error.message}`);
  process.exit(1);
}
process.exit(result.status === null ? 1 : result.status);
