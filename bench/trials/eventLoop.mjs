// eventLoop: the event-loop delay (perf_hooks.monitorEventLoopDelay, 1 ms
// resolution) while the putMany trial runs.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { open, round, runPutMany, size, trial } from './common.mjs';

await trial(async () => {
  const conn = await open();
  await runPutMany(conn, size(20000), { prefix: 'warm' });
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const result = await runPutMany(conn, size(1000000));
  histogram.disable();
  await conn.close();
  const ms = (ns) => round(ns / 1e6, 2);
  return {
    ...result,
    maxDelayMs: ms(histogram.max),
    p99DelayMs: ms(histogram.percentile(99)),
    meanDelayMs: ms(histogram.mean),
    samples: histogram.count,
  };
});
