// Conformance: the addon in worker_threads. On the embedded backend workers
// and the main thread share the process-wide default repository (as WMI is
// shared per machine), so what a worker writes the main thread reads. A worker
// terminated in the middle of a putMany must leave the process working and
// leak nothing.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { connect, defaultRepository, type ConnectOptions, type Connection } from '../../lib/index';
import { backends, type BackendInfo } from './backends';
import { assertNoLeaks, collect, Env, liveCounters } from './helpers';
import { checkLeaksAtEnd } from '../leak-check';

// Every live counter of the addon is back at its start value once this file is done.
checkLeaksAtEnd();

// dist/test/suite -> dist/lib/index.js
const libPath = path.resolve(__dirname, '..', '..', 'lib', 'index.js');

const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const lib = require(workerData.lib);
(async () => {
  const conn = await lib.connect(workerData.connect);
  const { className, prefix, count } = workerData;
  if (workerData.mode === 'write') {
    const items = [];
    for (let i = 0; i < count; i++) items.push({ className, properties: { Name: prefix + i, Count: i } });
    const paths = [];
    const errors = [];
    for await (const r of conn.putMany(items, { concurrency: 32 })) {
      if (r.error) errors.push(r.error.code); else paths.push(r.path);
    }
    await conn.close();
    parentPort.postMessage({ paths, errors });
  } else {
    async function* endless() {
      for (let i = 0; ; i++) yield { className, properties: { Name: prefix + i, Count: i } };
    }
    let n = 0;
    for await (const r of conn.putMany(endless(), { concurrency: 64 })) {
      if (r.error) throw r.error;
      if (++n === 200) parentPort.postMessage({ started: true });
    }
  }
})().catch((e) => parentPort.postMessage({ failed: String((e && e.stack) || e) }));
`;

interface WorkerReply {
  paths?: string[];
  errors?: string[];
  started?: boolean;
  failed?: string;
}

function startWorker(data: Record<string, unknown>): { worker: Worker; firstMessage: Promise<WorkerReply>; exit: Promise<number> } {
  const worker = new Worker(workerSource, { eval: true, workerData: { lib: libPath, ...data } });
  const firstMessage = new Promise<WorkerReply>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`worker exited (${code}) before replying`)));
  });
  const exit = new Promise<number>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', resolve);
  });
  // Keep an unobserved rejection from failing the run; each test awaits what it needs.
  firstMessage.catch(() => undefined);
  exit.catch(() => undefined);
  return { worker, firstMessage, exit };
}

let serial = 0;

/** Connect options for the shared world of a backend, and how to clean it up. */
interface World {
  options: ConnectOptions;
  conn: Connection;
  className: string;
  close(): Promise<void>;
}

async function openWorld(backend: BackendInfo): Promise<World> {
  const className = `Contoso_Worker${process.pid}_${++serial}`;
  if (backend.name === 'embedded') {
    // The process-wide default repository: no `repository` option, here or in the workers.
    const start = liveCounters();
    const options: ConnectOptions = { backend: 'embedded' };
    const conn = await connect(options);
    await conn.putClass({ name: className, properties: { Name: { type: 'string', key: true }, Count: { type: 'uint32' } } });
    return {
      options,
      conn,
      className,
      async close() {
        defaultRepository().setDelivery('pooled', 0);
        await conn.deleteClass(className);
        await conn.close();
        await assertNoLeaks(start);
      },
    };
  }
  const env = await Env.open(backend);
  await env.conn.putClass({ name: className, properties: { Name: { type: 'string', key: true }, Count: { type: 'uint32' } } });
  return { options: env.connectOptions(), conn: env.conn, className, close: () => env.close() };
}

function inWorld(backend: BackendInfo, body: (world: World) => Promise<void>): () => Promise<void> {
  return async () => {
    const world = await openWorld(backend);
    try {
      await body(world);
    } finally {
      await world.close();
    }
  };
}

for (const backend of backends) {
  describe(`worker_threads [${backend.name}]`, { skip: backend.skip }, () => {
    it('a worker loads the addon and its writes are visible from the main thread', inWorld(backend, async (world) => {
      const w = startWorker({ mode: 'write', connect: world.options, className: world.className, prefix: 'w', count: 100 });
      const reply = await w.firstMessage;
      assert.equal(reply.failed, undefined, reply.failed);
      assert.deepEqual(reply.errors, []);
      assert.deepEqual([...(reply.paths ?? [])].sort(), Array.from({ length: 100 }, (_, i) => `${world.className}.Name="w${i}"`).sort());
      assert.equal(await w.exit, 0);
      const stored = await collect(world.conn.enumerateInstances(world.className));
      assert.equal(stored.length, 100);
      assert.equal((await world.conn.getObject(`${world.className}.Name="w42"`)).Count, 42);
    }));

    it('4 workers at once write to the same repository', inWorld(backend, async (world) => {
      const workers = Array.from({ length: 4 }, (_, k) =>
        startWorker({ mode: 'write', connect: world.options, className: world.className, prefix: `k${k}_`, count: 250 }),
      );
      const replies = await Promise.all(workers.map((w) => w.firstMessage));
      for (const [k, reply] of replies.entries()) {
        assert.equal(reply.failed, undefined, reply.failed);
        assert.deepEqual(reply.errors, [], `worker ${k}`);
        assert.equal(reply.paths?.length, 250, `worker ${k}`);
      }
      assert.deepEqual(await Promise.all(workers.map((w) => w.exit)), [0, 0, 0, 0]);
      const stored = await collect(world.conn.enumerateInstances(world.className));
      assert.equal(stored.length, 1000);
      for (let k = 0; k < 4; k++) {
        assert.equal((await world.conn.getObject(`${world.className}.Name="k${k}_249"`)).Count, 249);
      }
    }));

    it('a worker terminated mid-putMany exits cleanly and the main thread keeps working', inWorld(backend, async (world) => {
      if (backend.name === 'embedded') defaultRepository().setDelivery('pooled', 500);
      const w = startWorker({ mode: 'endless', connect: world.options, className: world.className, prefix: 'e' });
      const reply = await w.firstMessage;
      assert.equal(reply.failed, undefined, reply.failed);
      assert.equal(reply.started, true);
      const code = await w.worker.terminate();
      assert.equal(code, 1);
      assert.equal(await w.exit, 1);
      if (backend.name === 'embedded') defaultRepository().setDelivery('pooled', 0);
      // The main thread's connection still works.
      assert.equal(await world.conn.putInstance(world.className, { Name: 'after', Count: 1 }), `${world.className}.Name="after"`);
      assert.equal((await world.conn.getObject(`${world.className}.Name="after"`)).Count, 1);
      const written = await collect(world.conn.enumerateInstances(world.className));
      assert.ok(written.length >= 201, `the worker wrote ${written.length - 1} instances before it was stopped`);
      // And a new worker can load the addon again.
      const again = startWorker({ mode: 'write', connect: world.options, className: world.className, prefix: 'again', count: 10 });
      const r2 = await again.firstMessage;
      assert.equal(r2.failed, undefined, r2.failed);
      assert.deepEqual(r2.errors, []);
      assert.equal(await again.exit, 0);
    }));
  });
}
