// durablePutMany: putMany (concurrency 1024) of 1,000,000 new instances into
// a durable repository file (group commit: one fsync per batch, success
// delivered after it); instances/s, plus the commits and file size.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRepository, open, runPutMany, size, trial } from './common.mjs';

await trial(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wmiput-bench-durable-'));
  try {
    const file = path.join(dir, 'bench.wpr');
    const repository = createRepository({ path: file });
    const conn = await open({ repository });
    await runPutMany(conn, size(20000), { prefix: 'warm', concurrency: 1024 });
    const result = await runPutMany(conn, size(1000000), { concurrency: 1024 });
    await conn.close();
    repository.close();
    return { ...result, concurrency: 1024, fileMB: Math.round(fs.statSync(file).size / 1e5) / 10 };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
