// Runs the native test binary (wmi_put_native_tests, built next to the addon
// by cmake-js into build/tests/) and reports each of its cases as a test.
// Override the binary with WMI_PUT_NATIVE_TESTS_BIN (e.g. a sanitizer build).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const exe = process.platform === 'win32' ? 'wmi_put_native_tests.exe' : 'wmi_put_native_tests';
const binary = process.env.WMI_PUT_NATIVE_TESTS_BIN || join(root, 'build', 'tests', exe);

// "not ok <name>: <why>", where names read "area: what it checks" and a CHECK
// failure starts with "<file>:<line>: ". Split before the file if there is one,
// else after the name's own "area: " prefix.
function splitFailure(rest) {
  const at = rest.search(/: \S+\.(?:cc|cpp|h|hpp|inc):\d+: /);
  if (at >= 0) return { name: rest.slice(0, at), why: rest.slice(at + 2) };
  const first = rest.indexOf(': ');
  const second = first < 0 ? -1 : rest.indexOf(': ', first + 2);
  const cut = second >= 0 ? second : first;
  return cut < 0 ? { name: rest, why: '(no reason given)' } : { name: rest.slice(0, cut), why: rest.slice(cut + 2) };
}
const SUMMARY = /^native: (\d+) passed, (\d+) failed$/;

function runBinary() {
  if (!existsSync(binary)) return { missing: true };
  const r = spawnSync(binary, [], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 15 * 60 * 1000 });
  const cases = [];
  let summary = null;
  for (const line of (r.stdout || '').split(/\r?\n/)) {
    const s = SUMMARY.exec(line);
    if (s) {
      summary = { passed: Number(s[1]), failed: Number(s[2]) };
      continue;
    }
    if (line.startsWith('ok ')) cases.push({ ok: true, name: line.slice(3) });
    else if (line.startsWith('not ok ')) cases.push({ ok: false, ...splitFailure(line.slice(7)) });
  }
  return { missing: false, status: r.status, signal: r.signal, error: r.error, stderr: r.stderr || '', cases, summary };
}

const result = runBinary();

test('native test binary runs and reports a summary', () => {
  assert.ok(!result.missing, `${binary} not found: build it with \`npm run build:native\``);
  assert.equal(result.error, undefined, `cannot run ${binary}: ${result.error?.message}`);
  assert.ok(result.summary, `no closing "native: N passed, N failed" line (exit ${result.status ?? result.signal})\n${result.stderr}`);
  assert.ok(result.summary.passed > 0, 'the native binary ran no passing case');
  assert.equal(result.summary.passed + result.summary.failed, result.cases.length, 'summary does not match the case lines');
  assert.equal(result.status, result.summary.failed === 0 ? 0 : 1, `unexpected exit status\n${result.stderr}`);
});

for (const c of result.missing ? [] : result.cases) {
  test(`native: ${c.name}`, () => {
    if (!c.ok) assert.fail(c.why);
  });
}
