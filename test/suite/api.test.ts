// Conformance: the public API's contract (ARCHITECTURE.md §5): connect,
// argument validation, cancellation, close, `await using`, putMany, putAsync
// with WbemSink, fault injection and chaos delivery.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { binding } from '../../lib/binding';
import {
  connect,
  WbemError,
  WbemSink,
  wbemChangeFlagCreateOnly,
  wbemChangeFlagUpdateForceMode,
  wbemChangeFlagUpdateOnly,
  wbemChangeFlagUpdateSafeMode,
  wbemFlagReturnImmediately,
  type ClassDefinition,
  type Connection,
  type PutManyItem,
  type PutManyResult,
} from '../../lib/index';
import { backends, needsControls } from './backends';
import { assertNoLeaks, checkError, collect, delay, inEnv, rejectsWith, serverError, throwsWith, type Env } from './helpers';
import { checkLeaksAtEnd } from '../leak-check';

// Every live counter of the addon is back at its start value once this file is done.
checkLeaksAtEnd();

const App: ClassDefinition = {
  name: 'Contoso_App',
  properties: { Name: { type: 'string', key: true }, Size: { type: 'uint64' }, Count: { type: 'uint32' } },
};

async function withApp(env: Env): Promise<void> {
  await env.conn.putClass(App);
}

async function assertAbsent(conn: Connection, path: string): Promise<void> {
  await rejectsWith(conn.getObject(path), { code: 'WBEM_E_NOT_FOUND' });
}

function item(i: number, extra: Partial<PutManyItem> = {}): PutManyItem {
  return { className: 'Contoso_App', properties: { Name: `n${i}`, Count: i }, ...extra };
}

function pathOf(i: number): string {
  return `Contoso_App.Name="n${i}"`;
}

/**
 * Awaits `work`, failing (instead of letting node:test see an idle event loop
 * and cancel the rest of the file) if it has not settled after `ms`.
 */
async function withStallGuard(work: Promise<void>, ms: number, describeStall: () => string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(describeStall())), ms);
  });
  try {
    await Promise.race([work, guard]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The server's pendingCalls once the calls of the test's earlier steps are
 * released: it counts a call until just after the call's final SetStatus has
 * returned, which can be after the promise has settled (a window that is wide
 * under ThreadSanitizer). Read without waiting, an earlier call could be
 * counted in the baseline and then leave.
 */
async function settledPendingCalls(env: Env): Promise<number> {
  await assertNoLeaks(env.start);
  return binding.counters().pendingCalls;
}

/** Waits until the server holds at least `n` accepted, unfinished calls (they are in flight). */
async function untilPending(n: number, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (binding.counters().pendingCalls < n) {
    if (Date.now() > deadline) assert.fail(`fewer than ${n} calls reached the server within ${timeoutMs} ms`);
    await delay(1);
  }
}

interface SinkEvent {
  event: 'objectPut' | 'completed' | 'progress';
  args: unknown[];
}

function record(sink: WbemSink): SinkEvent[] {
  const events: SinkEvent[] = [];
  sink.on('objectPut', (...args) => events.push({ event: 'objectPut', args }));
  sink.on('completed', (...args) => events.push({ event: 'completed', args }));
  sink.on('progress', (...args) => events.push({ event: 'progress', args }));
  return events;
}

/** Resolves once `sink` has reported `n` completed events. */
function completions(sink: WbemSink, n: number): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    if (n === 0) resolve();
    sink.on('completed', () => {
      if (++seen === n) resolve();
    });
  });
}

for (const backend of backends) {
  describe(`api [${backend.name}]`, { skip: backend.skip }, () => {
    describe('connect and argument validation', () => {
      it('connect to a missing namespace rejects with WBEM_E_INVALID_NAMESPACE', inEnv(backend, async (env) => {
        const e = await rejectsWith(connect(env.connectOptions({ namespace: `${env.root}\\NoSuchNamespace` })), { code: 'WBEM_E_INVALID_NAMESPACE' });
        assert.equal(e.hresult, 0x8004100e);
      }));

      it('invalid connect options reject with WBEM_E_INVALID_PARAMETER', inEnv(backend, async (env) => {
        for (const namespace of ['', 'root\\\\cimv2', 'root\\ci mv2', '\\root', 'root\\', '1root', 5 as unknown as string]) {
          await rejectsWith(connect({ ...env.connectOptions(), namespace }), { code: 'WBEM_E_INVALID_PARAMETER' });
        }
        await rejectsWith(connect({ ...env.connectOptions(), backend: 'bogus' as never }), { code: 'WBEM_E_INVALID_PARAMETER' });
        await rejectsWith(connect(null as never), { code: 'WBEM_E_INVALID_PARAMETER' });
        await rejectsWith(connect({ ...env.connectOptions(), timeoutMs: -1 }), { code: 'WBEM_E_INVALID_PARAMETER' });
        await rejectsWith(connect({ ...env.connectOptions(), signal: {} as never }), { code: 'WBEM_E_INVALID_PARAMETER' });
      }));

      it('invalid put options reject with WBEM_E_INVALID_PARAMETER before anything is sent', inEnv(backend, async (env) => {
        await withApp(env);
        const conn = env.conn;
        const attempts: Array<[string, () => Promise<unknown>]> = [
          ['unknown mode', () => conn.putInstance('Contoso_App', { Name: 'x' }, { mode: 'upsert' as never })],
          ['update on putInstance', () => conn.putInstance('Contoso_App', { Name: 'x' }, { update: 'safe' } as never)],
          ['string properties', () => conn.putInstance('Contoso_App', 'Name=x' as never)],
          ['null properties', () => conn.putInstance('Contoso_App', null as never)],
          ['array properties', () => conn.putInstance('Contoso_App', [] as never)],
          ['empty class name', () => conn.putInstance('', { Name: 'x' })],
          ['non-boolean amendedQualifiers', () => conn.putInstance('Contoso_App', { Name: 'x' }, { amendedQualifiers: 1 as never })],
          ['non-object context', () => conn.putInstance('Contoso_App', { Name: 'x' }, { context: 'ctx' as never })],
          ['non-signal signal', () => conn.putInstance('Contoso_App', { Name: 'x' }, { signal: {} as never })],
          ['unknown class update mode', () => conn.putClass(App, { update: 'gentle' as never })],
          ['unknown class mode', () => conn.putClass(App, { mode: 'replace' as never })],
          ['class without a name', () => conn.putClass({ properties: {} } as never)],
          ['class without properties', () => conn.putClass({ name: 'Contoso_X' } as never)],
        ];
        for (const [what, attempt] of attempts) {
          const p = attempt();
          assert.equal(conn.pending, 0, `${what}: nothing may be in flight`);
          await rejectsWith(p, { code: 'WBEM_E_INVALID_PARAMETER' });
        }
        await rejectsWith(conn.putClass({ name: 'Contoso_X', properties: { P: { type: 'uint33' as never } } }), { code: 'WBEM_E_INVALID_PROPERTY_TYPE', property: 'P' });
        await assertAbsent(conn, 'Contoso_App.Name="x"');
        await rejectsWith(conn.getClass('Contoso_X'), { code: 'WBEM_E_NOT_FOUND' });
        assert.throws(() => conn.putMany([], { concurrency: 0 }), (e: unknown) => (checkError(e, { code: 'WBEM_E_INVALID_PARAMETER' }), true));
        assert.throws(() => conn.putMany([], { mode: 'bogus' as never }), (e: unknown) => (checkError(e, { code: 'WBEM_E_INVALID_PARAMETER' }), true));
      }));
    });

    describe('cancellation and close', () => {
      it('an already aborted signal rejects with WBEM_E_CALL_CANCELLED (cause = reason) and writes nothing', inEnv(backend, async (env) => {
        await withApp(env);
        const reason = new Error('stop right there');
        const ac = new AbortController();
        ac.abort(reason);
        const p = env.conn.putInstance('Contoso_App', { Name: 'x' }, { signal: ac.signal });
        assert.equal(env.conn.pending, 0);
        const e = await rejectsWith(p, { code: 'WBEM_E_CALL_CANCELLED', cause: reason });
        assert.equal(e.hresult, 0x80041032);
        await rejectsWith(env.conn.putClass({ name: 'Contoso_Y', properties: {} }, { signal: ac.signal }), { code: 'WBEM_E_CALL_CANCELLED', cause: reason });
        await rejectsWith(env.conn.getObject('Contoso_App.Name="x"', { signal: ac.signal }), { code: 'WBEM_E_CALL_CANCELLED', cause: reason });
        await rejectsWith(connect({ ...env.connectOptions(), signal: ac.signal }), { code: 'WBEM_E_CALL_CANCELLED', cause: reason });
        await assertAbsent(env.conn, 'Contoso_App.Name="x"');
        await rejectsWith(env.conn.getClass('Contoso_Y'), { code: 'WBEM_E_NOT_FOUND' });
      }));

      it('aborting a put in flight rejects with WBEM_E_CALL_CANCELLED (cause = reason)', { skip: needsControls(backend) }, inEnv(backend, async (env) => {
        await withApp(env);
        env.controls.setDelivery('pooled', 20000);
        const before = await settledPendingCalls(env);
        const reason = new Error('changed my mind');
        const ac = new AbortController();
        const p = env.conn.putInstance('Contoso_App', { Name: 'x' }, { signal: ac.signal });
        await untilPending(before + 1);
        ac.abort(reason);
        const e = await rejectsWith(p, { code: 'WBEM_E_CALL_CANCELLED', cause: reason });
        assert.equal(e.hresult, 0x80041032);
        // Aborting again later changes nothing.
        ac.abort(new Error('again'));
        assert.equal(env.conn.pending, 0);
      }));

      it('close() with 1,000 operations in flight settles every promise exactly once; later calls reject', { skip: needsControls(backend) }, inEnv(backend, async (env) => {
        await withApp(env);
        const conn = await env.connect();
        env.controls.setDelivery('pooled', 20000);
        const before = await settledPendingCalls(env);
        let resolved = 0;
        let rejected = 0;
        const outcomes: Array<Promise<void>> = [];
        for (let i = 0; i < 1000; i++) {
          let settled = 0;
          outcomes.push(
            conn.putInstance('Contoso_App', { Name: `n${i}` }).then(
              (path) => {
                assert.equal(++settled, 1);
                assert.equal(path, pathOf(i));
                resolved++;
              },
              (e: unknown) => {
                assert.equal(++settled, 1);
                checkError(e, { code: 'WBEM_E_CALL_CANCELLED' });
                rejected++;
              },
            ),
          );
        }
        await untilPending(before + 1);
        await conn.close();
        assert.equal(conn.closed, true);
        await Promise.all(outcomes);
        assert.equal(resolved + rejected, 1000);
        assert.ok(rejected > 0, 'close() must have cancelled operations still in flight');
        assert.equal(conn.pending, 0);
        await rejectsWith(conn.putInstance('Contoso_App', { Name: 'late' }), { code: 'WBEM_E_INVALID_OPERATION' });
        await rejectsWith(conn.getObject('Contoso_App.Name="n0"'), { code: 'WBEM_E_INVALID_OPERATION' });
        await conn.close(); // idempotent
        env.controls.setDelivery('pooled', 0);
        await assertAbsent(env.conn, 'Contoso_App.Name="late"');
      }));

      it('`await using` closes the connection at the end of the block', inEnv(backend, async (env) => {
        await withApp(env);
        let inner: Connection | undefined;
        {
          await using conn = await connect(env.connectOptions());
          inner = conn;
          assert.equal(await conn.putInstance('Contoso_App', { Name: 'u' }), 'Contoso_App.Name="u"');
          assert.equal(conn.closed, false);
        }
        assert.equal(inner.closed, true);
        await rejectsWith(inner.putInstance('Contoso_App', { Name: 'v' }), { code: 'WBEM_E_INVALID_OPERATION' });
        assert.equal((await env.conn.getObject('Contoso_App.Name="u"')).Name, 'u');
      }));
    });

    describe('putMany', () => {
      it('writes an Iterable and yields { index, path } for every item', inEnv(backend, async (env) => {
        await withApp(env);
        const items = Array.from({ length: 300 }, (_, i) => item(i));
        const results = await collect(env.conn.putMany(items, { concurrency: 32 }));
        assert.equal(results.length, 300);
        const byIndex = [...results].sort((a, b) => a.index - b.index);
        byIndex.forEach((r, i) => assert.deepEqual(r, { index: i, path: pathOf(i) }));
        const stored = await collect(env.conn.enumerateInstances('Contoso_App'));
        assert.equal(stored.length, 300);
        assert.equal((await env.conn.getObject(pathOf(299))).Count, 299);
      }));

      it('writes an AsyncIterable', inEnv(backend, async (env) => {
        await withApp(env);
        async function* source(): AsyncGenerator<PutManyItem> {
          for (let i = 0; i < 50; i++) {
            if (i % 10 === 0) await delay(1);
            yield item(i);
          }
        }
        const results = await collect(env.conn.putMany(source(), { concurrency: 4 }));
        assert.deepEqual(
          results.map((r) => r.index).sort((a, b) => a - b),
          Array.from({ length: 50 }, (_, i) => i),
        );
        for (const r of results) assert.equal(r.path, pathOf(r.index));
      }));

      it('yields in input order with ordered: true, under chaos delivery', { skip: needsControls(backend) }, inEnv(backend, async (env) => {
        await withApp(env);
        env.controls.setDelivery('chaos');
        const n = 500;
        const unordered = await collect(env.conn.putMany(Array.from({ length: n }, (_, i) => item(i)), { concurrency: 64 }));
        assert.deepEqual(unordered.map((r) => r.index).sort((a, b) => a - b), Array.from({ length: n }, (_, i) => i));
        const ordered = await collect(
          env.conn.putMany(Array.from({ length: n }, (_, i) => item(i + n)), { concurrency: 64, ordered: true }),
        );
        assert.deepEqual(ordered.map((r) => r.index), Array.from({ length: n }, (_, i) => i));
        ordered.forEach((r, i) => assert.equal(r.path, pathOf(i + n)));
      }));

      it('a slow consumer (awaiting between results) still receives every result', inEnv(backend, async (env) => {
        await withApp(env);
        let received = 0;
        const consume = async (): Promise<void> => {
          for await (const r of env.conn.putMany(Array.from({ length: 100 }, (_, i) => item(i)), { concurrency: 8 })) {
            assert.equal(r.path, pathOf(r.index));
            received++;
            await delay(5); // every completion of the window arrives meanwhile
          }
        };
        await withStallGuard(consume(), 10000, () => `putMany stalled after ${received} of 100 results`);
        assert.equal(received, 100);
      }));

      it('never pulls more than `concurrency` items ahead of the results it has yielded', inEnv(backend, async (env) => {
        await withApp(env);
        const concurrency = 8;
        let pulled = 0;
        let received = 0;
        let maxAhead = 0;
        async function* source(): AsyncGenerator<PutManyItem> {
          for (let i = 0; i < 200; i++) {
            pulled++;
            maxAhead = Math.max(maxAhead, pulled - received);
            yield item(i);
          }
        }
        const consume = async (): Promise<void> => {
          for await (const r of env.conn.putMany(source(), { concurrency })) {
            received++;
            assert.equal(r.path, pathOf(r.index));
            if (received % 25 === 0) await delay(2); // a slow consumer now and then
          }
        };
        await withStallGuard(consume(), 10000, () => `putMany stalled after ${received} of 200 results (pulled ${pulled})`);
        assert.equal(received, 200);
        assert.ok(maxAhead <= concurrency, `the source was pulled ${maxAhead} items ahead of the results (concurrency ${concurrency})`);
        assert.ok(maxAhead >= 2, `the window was never used (max ${maxAhead} ahead)`);
      }));

      it('reports per-item errors without stopping the stream', inEnv(backend, async (env) => {
        await withApp(env);
        await env.conn.putInstance('Contoso_App', { Name: 'n3' });
        const items: PutManyItem[] = [
          item(0),
          { className: 'Contoso_App', properties: { Name: 'n1', Nope: 1 } },
          item(2),
          item(3, { mode: 'createOnly' }),
          { className: 'Contoso_App', properties: { Name: 'n4', Count: -1 } },
          item(5, { mode: 'updateOnly' }),
          null as never,
          { className: 'Contoso_Missing', properties: { Name: 'n7' } },
          item(8),
        ];
        const results = await collect(env.conn.putMany(items, { ordered: true, concurrency: 3 }));
        assert.deepEqual(results.map((r) => r.index), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
        const ok = (r: PutManyResult | undefined, i: number) => assert.deepEqual(r, { index: i, path: pathOf(i) });
        const bad = (r: PutManyResult | undefined, i: number, expected: Parameters<typeof checkError>[1]) => {
          assert.equal(r?.index, i);
          assert.equal(r?.path, undefined);
          checkError(r?.error, expected);
        };
        ok(results[0], 0);
        bad(results[1], 1, { code: 'WBEM_E_NOT_FOUND', property: 'Nope' });
        ok(results[2], 2);
        bad(results[3], 3, serverError('WBEM_E_ALREADY_EXISTS', 'PutInstance', pathOf(3)));
        bad(results[4], 4, { code: 'WBEM_E_TYPE_MISMATCH', property: 'Count' });
        bad(results[5], 5, serverError('WBEM_E_NOT_FOUND', 'PutInstance', pathOf(5)));
        bad(results[6], 6, { code: 'WBEM_E_INVALID_PARAMETER' });
        bad(results[7], 7, { code: 'WBEM_E_NOT_FOUND' });
        ok(results[8], 8);
        await assertAbsent(env.conn, pathOf(1));
        await assertAbsent(env.conn, pathOf(4));
      }));

      it('retries WBEM_E_QUOTA_VIOLATION and gives up after `retries` tries', { skip: needsControls(backend) }, inEnv(backend, async (env) => {
        await withApp(env);
        env.controls.injectFault({ code: 'WBEM_E_QUOTA_VIOLATION', count: 2 });
        assert.deepEqual(await collect(env.conn.putMany([item(0)], { retries: 3, retryDelayMs: 1 })), [{ index: 0, path: pathOf(0) }]);
        assert.equal((await env.conn.getObject(pathOf(0))).Count, 0);

        env.controls.injectFault({ code: 'WBEM_E_QUOTA_VIOLATION', count: 2 });
        const exhausted = await collect(env.conn.putMany([item(1)], { retries: 2, retryDelayMs: 1 }));
        assert.equal(exhausted.length, 1);
        assert.equal(exhausted[0]?.index, 0);
        checkError(exhausted[0]?.error, { code: 'WBEM_E_QUOTA_VIOLATION' });
        assert.equal(exhausted[0]?.error?.hresult, 0x8004106c);
        await assertAbsent(env.conn, pathOf(1));
        // The two faults were used up by the two tries: the next put succeeds.
        assert.equal(await env.conn.putInstance('Contoso_App', { Name: 'n1' }), pathOf(1));

        env.controls.injectFault({ code: 'WBEM_E_SERVER_TOO_BUSY', count: 1 });
        assert.deepEqual(await collect(env.conn.putMany([item(2)], { retryDelayMs: 1 })), [{ index: 0, path: pathOf(2) }]);
        // Other failures are not retried.
        env.controls.injectFault({ code: 'WBEM_E_ACCESS_DENIED', count: 1 });
        const denied = await collect(env.conn.putMany([item(3)], { retries: 5, retryDelayMs: 1 }));
        checkError(denied[0]?.error, { code: 'WBEM_E_ACCESS_DENIED' });
        assert.equal(await env.conn.putInstance('Contoso_App', { Name: 'n3' }), pathOf(3));
      }));

      it('an abort cancels the rest and the iterator throws WBEM_E_CALL_CANCELLED (cause = reason)', { skip: needsControls(backend) }, inEnv(backend, async (env) => {
        await withApp(env);
        env.controls.setDelivery('pooled', 20000);
        const reason = new Error('enough');
        const ac = new AbortController();
        const before = await settledPendingCalls(env);
        const seen: PutManyResult[] = [];
        const run = (async () => {
          for await (const r of env.conn.putMany(Array.from({ length: 200 }, (_, i) => item(i)), { concurrency: 16, signal: ac.signal })) {
            seen.push(r);
          }
        })();
        await untilPending(before + 1);
        ac.abort(reason);
        await rejectsWith(run, { code: 'WBEM_E_CALL_CANCELLED', cause: reason });
        assert.ok(seen.length < 200, `only part of the input may have been written (saw ${seen.length})`);
        for (const r of seen) if (r.error) checkError(r.error, { code: 'WBEM_E_CALL_CANCELLED' });
        assert.equal(env.conn.pending, 0);

        const gone = new AbortController();
        gone.abort(reason);
        await rejectsWith(collect(env.conn.putMany([item(500)], { signal: gone.signal })), { code: 'WBEM_E_CALL_CANCELLED', cause: reason });
        env.controls.setDelivery('pooled', 0);
        await assertAbsent(env.conn, pathOf(500));
      }));
    });

    describe('putAsync and WbemSink', () => {
      it('objectPut fires before completed, with the very asyncContext object', inEnv(backend, async (env) => {
        await withApp(env);
        const sink = new WbemSink();
        const events = record(sink);
        const ctx = { tag: 'mine' };
        const done = completions(sink, 1);
        const ret = env.conn.putAsync(sink, { className: 'Contoso_App', properties: { Name: 'x', Size: 1n } }, wbemChangeFlagCreateOnly, undefined, ctx);
        assert.equal(ret, undefined);
        await done;
        assert.deepEqual(events.map((e) => e.event), ['objectPut', 'completed']);
        assert.equal(events[0]?.args[0], 'Contoso_App.Name="x"');
        assert.ok(events[0]?.args[1] === ctx);
        assert.equal(events[1]?.args[0], 0);
        assert.equal(events[1]?.args[1], null);
        assert.ok(events[1]?.args[2] === ctx);
        assert.equal(sink.pending, 0);
        assert.equal((await env.conn.getObject('Contoso_App.Name="x"')).Size, 1n);
      }));

      it('a failure arrives as completed(hresult, WbemError, asyncContext) with no objectPut', inEnv(backend, async (env) => {
        await withApp(env);
        await env.conn.putInstance('Contoso_App', { Name: 'x' });
        const sink = new WbemSink();
        const events = record(sink);
        const ctx = ['context', 'array'];
        const done = completions(sink, 1);
        env.conn.putAsync(sink, { className: 'Contoso_App', properties: { Name: 'x' } }, wbemChangeFlagCreateOnly, undefined, ctx);
        await done;
        assert.deepEqual(events.map((e) => e.event), ['completed']);
        assert.equal(events[0]?.args[0], 0x80041019);
        checkError(events[0]?.args[1], serverError('WBEM_E_ALREADY_EXISTS', 'PutInstance', 'Contoso_App.Name="x"'));
        assert.ok(events[0]?.args[2] === ctx);
      }));

      it('one sink serves many calls; each call reports once with its own asyncContext', inEnv(backend, async (env) => {
        await withApp(env);
        const sink = new WbemSink();
        const events = record(sink);
        const contexts = Array.from({ length: 50 }, (_, i) => ({ i }));
        const done = completions(sink, 50);
        contexts.forEach((ctx, i) => env.conn.putAsync(sink, { className: 'Contoso_App', properties: { Name: `n${i}` } }, 0, undefined, ctx));
        assert.equal(sink.pending, 50);
        await done;
        await delay(5);
        assert.equal(events.length, 100);
        for (const [i, ctx] of contexts.entries()) {
          const mine = events.filter((e) => e.args[e.args.length - 1] === ctx);
          assert.deepEqual(mine.map((e) => e.event), ['objectPut', 'completed'], `call ${i}`);
          assert.equal(mine[0]?.args[0], pathOf(i));
          assert.equal(mine[1]?.args[0], 0);
        }
        assert.equal(sink.pending, 0);
      }));

      it('sink.cancel() cancels every outstanding call of the sink', { skip: needsControls(backend) }, inEnv(backend, async (env) => {
        await withApp(env);
        env.controls.setDelivery('pooled', 20000);
        const sink = new WbemSink();
        const events = record(sink);
        const before = await settledPendingCalls(env);
        const done = completions(sink, 20);
        for (let i = 0; i < 20; i++) env.conn.putAsync(sink, { className: 'Contoso_App', properties: { Name: `n${i}` } }, 0, undefined, i);
        await untilPending(before + 1);
        sink.cancel();
        await done;
        const completed = events.filter((e) => e.event === 'completed');
        assert.equal(completed.length, 20);
        const cancelled = completed.filter((e) => e.args[0] === 0x80041032);
        assert.ok(cancelled.length > 0, 'at least the calls still in flight are cancelled');
        for (const e of cancelled) checkError(e.args[1], { code: 'WBEM_E_CALL_CANCELLED' });
        for (const e of completed) assert.ok(e.args[0] === 0 || e.args[0] === 0x80041032, `unexpected hresult ${String(e.args[0])}`);
        assert.equal(sink.pending, 0);
        sink.cancel(); // nothing left: harmless
      }));

      it('invalid numeric flags throw WBEM_E_INVALID_PARAMETER synchronously and report nothing', inEnv(backend, async (env) => {
        await withApp(env);
        const sink = new WbemSink();
        const events = record(sink);
        const inst = { className: 'Contoso_App', properties: { Name: 'x' } };
        const cls: ClassDefinition = { name: 'Contoso_Flags', properties: {} };
        const cases: Array<[string, object, number]> = [
          ['CREATE_ONLY|UPDATE_ONLY on an instance', inst, wbemChangeFlagCreateOnly | wbemChangeFlagUpdateOnly],
          ['CREATE_ONLY|UPDATE_ONLY on a class', cls, wbemChangeFlagCreateOnly | wbemChangeFlagUpdateOnly],
          ['SAFE|FORCE on a class', cls, wbemChangeFlagUpdateSafeMode | wbemChangeFlagUpdateForceMode],
          ['SAFE on an instance', inst, wbemChangeFlagUpdateSafeMode],
          ['FORCE on an instance', inst, wbemChangeFlagUpdateForceMode],
          ['RETURN_IMMEDIATELY (0x10) on an instance', inst, wbemFlagReturnImmediately],
          ['RETURN_IMMEDIATELY (0x10) on a class', cls, 0x10],
          ['an unknown bit', inst, 0x100],
          ['a negative value', inst, -1],
          ['a fraction', inst, 1.5],
        ];
        for (const [what, object, flags] of cases) {
          const e = throwsWith(() => env.conn.putAsync(sink, object as never, flags), { code: 'WBEM_E_INVALID_PARAMETER' });
          assert.equal(e.hresult, 0x80041008, what);
        }
        throwsWith(() => env.conn.putAsync({} as never, inst, 0), { code: 'WBEM_E_INVALID_PARAMETER' });
        throwsWith(() => env.conn.putAsync(sink, null as never, 0), { code: 'WBEM_E_INVALID_PARAMETER' });
        await delay(20);
        assert.deepEqual(events, []);
        assert.equal(sink.pending, 0);
        await assertAbsent(env.conn, 'Contoso_App.Name="x"');
        await rejectsWith(env.conn.getClass('Contoso_Flags'), { code: 'WBEM_E_NOT_FOUND' });
      }));

      it('puts classes too: objectPut carries the class name', inEnv(backend, async (env) => {
        const sink = new WbemSink();
        const events = record(sink);
        let done = completions(sink, 1);
        env.conn.putAsync(sink, App, wbemChangeFlagCreateOnly, undefined, 'first');
        await done;
        assert.deepEqual(events.map((e) => [e.event, ...e.args.map((a) => (a instanceof WbemError ? a.code : a))]), [
          ['objectPut', 'Contoso_App', 'first'],
          ['completed', 0, null, 'first'],
        ]);
        assert.deepEqual(await env.conn.getClass('Contoso_App'), App);
        events.length = 0;
        done = completions(sink, 1);
        env.conn.putAsync(sink, App, wbemChangeFlagCreateOnly, undefined, 'second');
        await done;
        assert.equal(events.length, 1);
        assert.equal(events[0]?.args[0], 0x80041019);
        checkError(events[0]?.args[1], serverError('WBEM_E_ALREADY_EXISTS', 'PutClass', 'Contoso_App'));
        events.length = 0;
        done = completions(sink, 1);
        env.conn.putAsync(sink, { ...App, properties: { ...App.properties, More: { type: 'string' } } }, wbemChangeFlagUpdateOnly | wbemChangeFlagUpdateSafeMode);
        await done;
        assert.deepEqual(events.map((e) => e.event), ['objectPut', 'completed']);
        assert.equal(events[1]?.args[0], 0);
        assert.deepEqual(Object.keys((await env.conn.getClass('Contoso_App')).properties), ['Name', 'Size', 'Count', 'More']);
      }));
    });

    describe('fault injection and chaos delivery', () => {
      for (const when of ['synchronous', 'sink'] as const) {
        it(`an injected fault (${when}) rejects with its code and writes nothing`, { skip: needsControls(backend) }, inEnv(backend, async (env) => {
          await withApp(env);
          env.controls.injectFault({ code: 'WBEM_E_SERVER_TOO_BUSY', when });
          const e = await rejectsWith(env.conn.putInstance('Contoso_App', { Name: 'x' }), { code: 'WBEM_E_SERVER_TOO_BUSY' });
          assert.equal(e.hresult, 0x80041045);
          await assertAbsent(env.conn, 'Contoso_App.Name="x"');

          env.controls.injectFault({ code: 'WBEM_E_OUT_OF_DISK_SPACE', when, count: 2 });
          const sink = new WbemSink();
          const events = record(sink);
          const done = completions(sink, 2);
          env.conn.putAsync(sink, { className: 'Contoso_App', properties: { Name: 'y' } }, 0, undefined, 'a');
          env.conn.putAsync(sink, { className: 'Contoso_App', properties: { Name: 'z' } }, 0, undefined, 'b');
          await done;
          assert.deepEqual(events.map((ev) => ev.event), ['completed', 'completed']);
          for (const ev of events) {
            assert.equal(ev.args[0], 0x8004103b);
            checkError(ev.args[1], { code: 'WBEM_E_OUT_OF_DISK_SPACE' });
          }
          assert.deepEqual(events.map((ev) => ev.args[2]).sort(), ['a', 'b']);
          await assertAbsent(env.conn, 'Contoso_App.Name="y"');
          // Used up: the next put succeeds; clearFaults drops unused ones.
          assert.equal(await env.conn.putInstance('Contoso_App', { Name: 'y' }), 'Contoso_App.Name="y"');
          env.controls.injectFault({ code: 'WBEM_E_SHUTTING_DOWN', when, count: 5 });
          env.controls.clearFaults();
          assert.equal(await env.conn.putInstance('Contoso_App', { Name: 'z' }), 'Contoso_App.Name="z"');
        }));
      }

      it('chaos delivery: 2,000 concurrent puts all resolve with their own path', { skip: needsControls(backend) }, inEnv(backend, async (env) => {
        await withApp(env);
        env.controls.setDelivery('chaos');
        const n = 2000;
        const paths = await Promise.all(
          Array.from({ length: n }, (_, i) => env.conn.putInstance('Contoso_App', { Name: `n${i}`, Count: i, Size: BigInt(i) * 3n })),
        );
        paths.forEach((p, i) => assert.equal(p, pathOf(i)));
        const stored = await collect(env.conn.enumerateInstances('Contoso_App'));
        assert.equal(stored.length, n);
        for (const o of stored) {
          const i = Number(o.Count);
          assert.equal(o.__RELPATH, pathOf(i));
          assert.equal(o.Size, BigInt(i) * 3n);
        }
        // Ordered delivery completes in submission order.
        env.controls.setDelivery('ordered');
        const order: number[] = [];
        await Promise.all(Array.from({ length: 200 }, (_, i) => env.conn.putInstance('Contoso_App', { Name: `o${i}` }).then(() => order.push(i))));
        assert.deepEqual(order, Array.from({ length: 200 }, (_, i) => i));
      }));
    });
  });
}
