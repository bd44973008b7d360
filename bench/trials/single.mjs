// single: sequential awaited putInstance; latency percentiles in µs.
import { className, open, properties, round, size, startClock, trial } from './common.mjs';

await trial(async () => {
  const conn = await open();
  const warmup = size(5000);
  const count = size(50000);
  for (let i = 0; i < warmup; i++) await conn.putInstance(className, properties(i, 'warm'));

  const micros = new Float64Array(count);
  const clock = startClock();
  for (let i = 0; i < count; i++) {
    const t0 = process.hrtime.bigint();
    await conn.putInstance(className, properties(i));
    micros[i] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  const t = clock.stop(count);
  await conn.close();

  micros.sort();
  const at = (q) => micros[Math.min(count - 1, Math.floor(q * count))];
  return {
    count,
    p50us: round(at(0.5)),
    p90us: round(at(0.9)),
    p99us: round(at(0.99)),
    p999us: round(at(0.999)),
    maxus: round(micros[count - 1]),
    opsPerSec: t.opsPerSec,
    cpuUsPerOp: t.cpuUsPerOp,
  };
});
