#!/bin/sh
# Runs the sanitizer build of wmi_put_native_tests for test/native.test.mjs
# under `npm run test:asan|tsan` (scripts/test-sanitize.js points
# WMI_PUT_NATIVE_TESTS_BIN here). The binary is fully instrumented, unlike
# node, so under ASan it runs with LeakSanitizer on (WMI_PUT_NATIVE_ASAN_OPTIONS).
if [ -n "$WMI_PUT_NATIVE_ASAN_OPTIONS" ]; then
  ASAN_OPTIONS="$WMI_PUT_NATIVE_ASAN_OPTIONS"
  export ASAN_OPTIONS
fi
exec "$WMI_PUT_SANITIZER_NATIVE_TESTS" "$@"
