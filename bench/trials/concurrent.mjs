// concurrent: putInstance with 256 promises in flight; instances/s.
import { className, open, properties, runWindow, size, startClock, trial } from './common.mjs';

await trial(async () => {
  const conn = await open();
  const width = 256;
  const count = size(300000);
  await runWindow(size(20000), width, (i) => conn.putInstance(className, properties(i, 'warm')));

  const clock = startClock();
  await runWindow(count, width, (i) => conn.putInstance(className, properties(i)));
  const t = clock.stop(count);
  await conn.close();
  return { count, inFlight: width, ...t };
});
