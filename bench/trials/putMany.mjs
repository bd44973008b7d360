// putMany: putMany with concurrency 256 over 1,000,000 new instances; instances/s.
import { open, runPutMany, size, trial } from './common.mjs';

await trial(async () => {
  const conn = await open();
  await runPutMany(conn, size(20000), { prefix: 'warm' });
  const result = await runPutMany(conn, size(1000000));
  await conn.close();
  return { ...result, concurrency: 256 };
});
