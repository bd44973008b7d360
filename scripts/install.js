#!/usr/bin/env node
// npm "install" script: use a binary that loads (build/Release, then
// prebuilds/<platform>-<arch>, the order node-gyp-build uses) or build the
// addon from source with cmake-js. `npm install --build-from-source` (or
// npm_config_build_from_source=true, or `node scripts/install.js
// --build-from-source`, which is `npm run build:native`) always builds.
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

function truthy(value) {
  return value !== undefined && value !== '' && value !== 'false' && value !== '0';
}

// Loads `file` in a child process. LD_BIND_NOW makes the dynamic loader resolve
// every symbol up front on Linux, so a link gap fails here and not at the
// first call.
function loadError(file) {
  const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(file)})`], {
    env: { ...process.env, LD_BIND_NOW: '1' },
    encoding: 'utf8',
  });
  if (r.status === 0) return null;
  const lines = `${r.stderr || ''}${r.error ? r.error.message : ''}`.split('\n');
  return lines.find((l) => /Error/.test(l)) || lines.find(Boolean) || `exit ${r.status ?? r.signal}`;
}

function usableBinary() {
  let file;
  try {
    file = require('node-gyp-build').resolve(root);
  } catch {
    return null; // nothing found for this platform/arch
  }
  const error = loadError(file);
  if (error === null) return file;
  console.error(`wmi-put: ${path.relative(root, file)} does not load (${error}); building from source`);
  return null;
}

function build() {
  const cmakeJs = require.resolve('cmake-js/bin/cmake-js', { paths: [root] });
  const jobs = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  const args = [cmakeJs, 'rebuild', '--directory', root, '--parallel', String(Math.max(1, jobs))];
  // The published package does not ship native/test: consumers only need the addon.
  if (!fs.existsSync(path.join(root, 'native', 'test'))) args.push('--CDWMI_PUT_NATIVE_TESTS=OFF');
  console.error(`wmi-put: building the addon: cmake-js ${args.slice(1).join(' ')}`);
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (result.error) {
    console.error(`wmi-put: cannot run cmake-js: ${result.error.message}`);
    return 1;
  }
  if (result.status !== 0) return result.status === null ? 1 : result.status;
  const built = path.join(root, 'build', 'Release', 'wmi_put.node');
  const error = fs.existsSync(built) ? loadError(built) : 'not produced by the build';
  if (error !== null) {
    console.error(`wmi-put: the freshly built ${path.relative(root, built)} does not load: ${error}`);
    return 1;
  }
  return 0;
}

if (!truthy(process.env.npm_config_build_from_source) && !process.argv.includes('--build-from-source')) {
  const found = usableBinary();
  if (found) {
    console.error(`wmi-put: using ${path.relative(root, found)}`);
    process.exit(0);
  }
}
process.exit(build());
