// tsfnRoundTrip: bare thread-safe-function calls from a native thread
// (build/bench/wmi_put_bench_tsfn.node): the Node-API floor of per-event delivery.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { nativeBenchDir, requireNative, round, size, trial } from './common.mjs';

await trial(async () => {
  const file = path.join(nativeBenchDir(), 'wmi_put_bench_tsfn.node');
  if (!existsSync(file)) {
    throw new Error(`${file} is missing: build with -DWMI_PUT_BENCH=ON (npm run build:native) or set WMI_PUT_BENCH_BIN_DIR`);
  }
  const { run } = requireNative(file);
  const measure = (count, perCall) =>
    new Promise((resolve) => {
      if (perCall) run(count, resolve, perCall);
      else run(count, resolve);
    });
  const count = size(1000000);
  await measure(size(50000));
  const bareNs = await measure(count);
  let calls = 0;
  const withJsNs = await measure(count, () => {
    calls++;
  });
  if (calls !== count) throw new Error(`the per-call function ran ${calls} times for ${count} calls`);
  return {
    count,
    callsPerSec: Math.round(count / (bareNs / 1e9)),
    callsPerSecWithJsCall: Math.round(count / (withJsNs / 1e9)),
    seconds: round(bareNs / 1e9, 3),
  };
});
