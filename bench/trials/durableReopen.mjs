// durableReopen: seconds to reopen (replay) a durable repository file of
// 1,000,000 instances, as the first open after the writer closed it and as
// the open of the compacted file.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { benchClass, connect, createRepository, open, round, runPutMany, size, trial } from './common.mjs';

function timedOpen(file) {
  const t = process.hrtime.bigint();
  const repo = createRepository({ path: file });
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  return { repo, seconds };
}

await trial(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wmiput-bench-reopen-'));
  try {
    const file = path.join(dir, 'bench.wpr');
    const count = size(1000000);
    const repository = createRepository({ path: file });
    const conn = await open({ repository });
    await runPutMany(conn, count, { concurrency: 1024 });
    await conn.close();
    repository.close();
    const logMB = fs.statSync(file).size / 1e6;
    const first = timedOpen(file);
    first.repo.close();
    const second = timedOpen(file);
    const check = await connect({ backend: 'embedded', namespace: 'root/cimv2', repository: second.repo });
    const probe = await check.getObject(`${benchClass.name}.Name="item-${count - 1}"`);
    if (probe.Count !== count - 1) throw new Error('reopened repository lacks the last instance');
    await check.close();
    second.repo.close();
    return {
      count,
      seconds: round(Math.max(first.seconds, second.seconds), 3),
      firstOpenSeconds: round(first.seconds, 3),
      secondOpenSeconds: round(second.seconds, 3),
      instancesPerSec: Math.round(count / first.seconds),
      fileMB: round(logMB, 1),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
