// concurrent: putInstance with 256 promises in flight; instances/s.
import { className, open, properties, round, runWindow, size, trial } from './common.mjs';

await trial(async () => {
  const conn = await open();
  const width = 256;
  const count = size(300000);
  await runWindow(size(20000), width, (i) => conn.putInstance(className, properties(i, 'warm')));

  const start = process.hrtime.bigint();
  await runWindow(count, width, (i) => conn.putInstance(className, properties(i)));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await conn.close();
  return { count, inFlight: width, opsPerSec: Math.round(count / seconds), seconds: round(seconds, 3) };
});
