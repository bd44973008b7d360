// perEventDelivery: the putMany trial with batched delivery switched off: one
// thread-safe-function call per completion, handled inside the TSFN callback.
import { open, runPutMany, size, trial } from './common.mjs';

await trial(async () => {
  const conn = await open({ delivery: 'perEvent' });
  await runPutMany(conn, size(20000), { prefix: 'warm' });
  const result = await runPutMany(conn, size(1000000));
  await conn.close();
  return { ...result, concurrency: 256, delivery: 'perEvent' };
});
