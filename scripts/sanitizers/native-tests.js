#!/usr/bin/env node
// Runs the sanitizer build of wmi_put_native_tests for test/native.test.mjs
// under `npm run test:asan|tsan` (scripts/test-sanitize.js points
// WMI_PUT_NATIVE_TESTS_BIN here and the real binary in
// WMI_PUT_SANITIZER_NATIVE_TESTS). The binary is fully instrumented, unlike
// node, so under ASan it runs with LeakSanitizer on
// (WMI_PUT_NATIVE_ASAN_OPTIONS). A node script rather than a shell script:
// sh and bash crash when libtsan is preloaded into them.
'use strict';
const { spawnSync } = require('node:child_process');

const env = { ...process.env };
if (env.WMI_PUT_NATIVE_ASAN_OPTIONS) env.ASAN_OPTIONS = env.WMI_PUT_NATIVE_ASAN_OPTIONS;
const r = spawnSync(env.WMI_PUT_SANITIZER_NATIVE_TESTS, process.argv.slice(2), { stdio: 'inherit', env });
if (r.error) {
  console.error(`native-tests: ${r.error.message}`);
  process.exit(127);
}
if (r.signal) process.kill(process.pid, r.signal);
process.exit(r.status ?? 1);
