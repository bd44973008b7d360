// eventLoop: the event-loop delay (perf_hooks.monitorEventLoopDelay, 1 ms
// resolution) while the putMany trial runs.
//
// On Linux a second probe (a 1 ms interval reading
// /proc/self/task/<pid>/schedstat: on-CPU ns, run-queue wait ns) splits every
// stall of the JS thread into the time it was running (our JS, the addon, GC),
// the time it sat runnable waiting for a CPU (other processes had the cores)
// and the rest, when it was blocked (a lock, a futex, page-in). The run-queue
// part is the machine's; the running and blocked parts are the library's.
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { open, round, runPutMany, size, trial } from './common.mjs';

function schedstatReader() {
  if (process.platform !== 'linux') return null;
  const file = `/proc/self/task/${process.pid}/schedstat`;
  try {
    readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  return () => {
    const [run, wait] = readFileSync(file, 'utf8').split(' ');
    return { run: Number(run) / 1e6, wait: Number(wait) / 1e6 };
  };
}

function stallProbe() {
  const read = schedstatReader();
  if (!read) return null;
  let lastTime = performance.now();
  let last = read();
  const first = last;
  let worst = { stall: 0, run: 0, wait: 0, blocked: 0 };
  let maxRunning = 0;
  let maxBlocked = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    const cur = read();
    // The interval asks for 1 ms; anything beyond that is a stall.
    const stall = Math.max(0, now - lastTime - 1);
    const run = cur.run - last.run;
    const wait = cur.wait - last.wait;
    const blocked = Math.max(0, now - lastTime - run - wait);
    if (stall > worst.stall) worst = { stall, run, wait, blocked };
    if (stall > 0) {
      maxRunning = Math.max(maxRunning, Math.min(stall, run));
      maxBlocked = Math.max(maxBlocked, Math.min(stall, blocked));
    }
    lastTime = now;
    last = cur;
  }, 1);
  return {
    stop() {
      clearInterval(timer);
      const end = read();
      return {
        maxStallMs: round(worst.stall, 2),
        maxStallSplitMs: { running: round(worst.run, 2), runQueue: round(worst.wait, 2), blocked: round(worst.blocked, 2) },
        maxRunningStallMs: round(maxRunning, 2),
        maxBlockedStallMs: round(maxBlocked, 2),
        jsThreadRunQueueWaitMs: round(end.wait - first.wait, 1),
        jsThreadOnCpuMs: round(end.run - first.run, 1),
      };
    },
  };
}

await trial(async () => {
  const conn = await open();
  await runPutMany(conn, size(20000), { prefix: 'warm' });
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  const probe = stallProbe();
  histogram.enable();
  const result = await runPutMany(conn, size(1000000));
  histogram.disable();
  const stalls = probe ? probe.stop() : {};
  await conn.close();
  const ms = (ns) => round(ns / 1e6, 2);
  return {
    ...result,
    maxDelayMs: ms(histogram.max),
    p99DelayMs: ms(histogram.percentile(99)),
    meanDelayMs: ms(histogram.mean),
    samples: histogram.count,
    ...stalls,
  };
});
