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

function usableBinary() {
  let file;
  try {
    file = require('node-gyp-build').resolve(root);
  } catch {
    return null; // nothing found for this platform/arch
  }
  try {
    require(file);
    return file;
  } catch (err) {
    console.error(`wmi-put: ${path.relative(root, file)} does not load (${err.message.split('\n')[0]}); building from source`);
    return null;
  }
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
  return result.status === null ? 1 : result.status;
}

if (!truthy(process.env.npm_config_build_from_source) && !process.argv.includes('--build-from-source')) {
  const found = usableBinary();
  if (found) {
    console.error(`wmi-put: using ${path.relative(root, found)}`);
    process.exit(0);
  }
}
process.exit(build());
