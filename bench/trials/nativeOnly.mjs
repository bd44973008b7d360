// nativeOnly: the same puts issued from C++ straight at the embedded server
// (build/bench/wmi_put_bench_native): the floor for the JS overhead.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { nativeBenchDir, size, trial } from './common.mjs';

await trial(async () => {
  const exe = path.join(nativeBenchDir(), process.platform === 'win32' ? 'wmi_put_bench_native.exe' : 'wmi_put_bench_native');
  if (!existsSync(exe)) {
    throw new Error(`${exe} is missing: build with -DWMI_PUT_BENCH=ON (npm run build:native) or set WMI_PUT_BENCH_BIN_DIR`);
  }
  const count = size(1000000);
  const run = spawnSync(exe, [String(count), '256'], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`${path.basename(exe)} exited ${run.status ?? run.signal}: ${run.stderr.trim()}`);
  const line = run.stdout.trim().split('\n').pop();
  const result = JSON.parse(line);
  return {
    opsPerSec: result.opsPerSec,
    count: result.count,
    window: result.window,
    seconds: result.elapsedMs / 1000,
    cpuUsPerOp: result.cpuUsPerOp,
  };
});
