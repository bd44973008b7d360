// memory: RSS growth over 1,000,000 put+delete cycles, and RSS per stored
// instance after 1,000,000 puts. Needs --expose-gc (bench/run.mjs passes it).
// The growth is measured from a warmed-up steady state (100,000 cycles first,
// at every size: malloc arenas of the server threads, V8's heap and the code
// caches fill up there; rssStartMB/rssBeforeMB show that one-off cost), with
// forced GCs before each reading, so what remains is what the cycles leak.
import { setTimeout as sleep } from 'node:timers/promises';
import { className, open, properties, round, runPutMany, runWindow, size, trial } from './common.mjs';

async function settledRss() {
  for (let i = 0; i < 3; i++) {
    globalThis.gc();
    await sleep(50);
  }
  return process.memoryUsage().rss;
}

await trial(async () => {
  if (typeof globalThis.gc !== 'function') throw new Error('run with --expose-gc');
  const rssStart = await settledRss();
  const conn = await open();
  const width = 256;
  const cycles = size(1000000);
  const cycle = async (i, prefix) => {
    const path = await conn.putInstance(className, properties(i, prefix));
    await conn.deleteInstance(path);
  };

  await runWindow(100000, width, (i) => cycle(i, 'warm'));
  const rssBefore = await settledRss();
  const start = process.hrtime.bigint();
  await runWindow(cycles, width, (i) => cycle(i, 'cycle'));
  const cycleSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  const rssAfter = await settledRss();
  const heapAfter = process.memoryUsage().heapUsed;

  const stored = size(1000000);
  const rssEmpty = rssAfter;
  await runPutMany(conn, stored);
  const rssFull = await settledRss();
  await conn.close();

  const mb = (bytes) => round(bytes / (1024 * 1024), 1);
  return {
    cycles,
    warmupCycles: 100000,
    rssStartMB: mb(rssStart),
    rssBeforeMB: mb(rssBefore),
    rssAfterMB: mb(rssAfter),
    rssGrowthMB: mb(rssAfter - rssBefore),
    cyclesPerSec: Math.round(cycles / cycleSeconds),
    heapUsedMB: mb(heapAfter),
    stored,
    rssFullMB: mb(rssFull),
    bytesPerInstance: Math.round((rssFull - rssEmpty) / stored),
  };
});
