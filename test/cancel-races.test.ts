// Cancellation races: 100,000 puts on an isolated repository with chaos
// delivery (completions out of order, from several server threads), each
// aborted at a random moment or not at all: before the call, in the same
// tick, from a microtask, from setImmediate, from a timer. Every promise
// settles exactly once; afterwards the repository holds every put reported
// successful (each read back with its value), nothing of a put reported failed,
// and possibly some puts reported cancelled: WMI's cancellation is best-effort,
// so a put that lost the race to its completion may have been written although
// it was reported cancelled (docs/api.md, "signal").
//
// WMI_PUT_CANCEL_RACES_N overrides the number of operations (default 100,000).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { binding } from '../lib/binding';
import { connect, createRepository, isWbemError, type ClassDefinition, type Connection, type Repository } from '../lib/index';
import { checkLeaksAtEnd } from './leak-check';

let repo: Repository | undefined;
let conn: Connection | undefined;

checkLeaksAtEnd({
  teardown: async () => {
    await conn?.close();
    conn = undefined;
    repo = undefined;
  },
});

const total = Number(process.env.WMI_PUT_CANCEL_RACES_N ?? 100_000);
/** Operations in flight at once (a window, so memory stays bounded). */
const window = 4096;
/** Keys are shared by some operations, so "absent unless another put wrote it" matters. */
const keySpace = Math.floor(total * 0.6);

const Item: ClassDefinition = {
  name: 'Race_Item',
  properties: { Name: { type: 'string', key: true }, Seq: { type: 'uint32' } },
};

type Abort = 'none' | 'before' | 'sameTick' | 'microtask' | 'immediate' | 'timer';
type Outcome = 'ok' | 'cancelled' | 'failed';

interface Op {
  key: string;
  seq: number;
  abort: Abort;
  /** A value that cannot be converted: the put must fail and write nothing. */
  invalid: boolean;
  settled: number;
  outcome?: Outcome;
  code?: string;
}

// A small deterministic generator, so that a failure can be replayed (seed in the message).
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
}

function pickAbort(r: number): Abort {
  if (r < 0.3) return 'none';
  if (r < 0.35) return 'before';
  if (r < 0.5) return 'sameTick';
  if (r < 0.65) return 'microtask';
  if (r < 0.85) return 'immediate';
  return 'timer';
}

describe('cancellation races (chaos delivery, isolated repository)', () => {
  it(`${total} puts aborted at random moments: each settles exactly once, the repository matches the outcomes`, async (t) => {
    const seed = Number(process.env.WMI_PUT_CANCEL_RACES_SEED ?? Date.now() % 1_000_000);
    const random = rng(seed);
    repo = createRepository();
    repo.setDelivery('chaos');
    conn = await connect({ repository: repo });
    const c = conn;
    await c.putClass(Item);

    const ops: Op[] = [];
    for (let i = 0; i < total; i++) {
      const invalid = random() < 0.01;
      ops.push({
        // Invalid puts get keys of their own: nothing may ever appear under them.
        key: invalid ? `bad${i}` : `k${Math.floor(random() * keySpace)}`,
        seq: i,
        abort: pickAbort(random()),
        invalid,
        settled: 0,
      });
    }

    const start = (op: Op): Promise<void> => {
      const ac = new AbortController();
      const abort = (): void => ac.abort(new Error(`abort ${op.seq}`));
      if (op.abort === 'before') abort();
      const promise = c.putInstance(Item.name, { Name: op.key, Seq: op.invalid ? -1 : op.seq }, { signal: ac.signal });
      switch (op.abort) {
        case 'sameTick':
          abort();
          break;
        case 'microtask':
          queueMicrotask(abort);
          break;
        case 'immediate':
          setImmediate(abort);
          break;
        case 'timer':
          setTimeout(abort, Math.floor(random() * 3));
          break;
        default:
          break;
      }
      return promise.then(
        (path) => {
          op.settled++;
          op.outcome = 'ok';
          assert.equal(path, `Race_Item.Name="${op.key}"`);
        },
        (e: unknown) => {
          op.settled++;
          op.code = isWbemError(e) ? e.code : String(e);
          op.outcome = op.code === 'WBEM_E_CALL_CANCELLED' ? 'cancelled' : 'failed';
        },
      );
    };

    // Keep `window` operations in flight until all have started.
    let next = 0;
    const runner = async (): Promise<void> => {
      while (next < ops.length) await start(ops[next++] as Op);
    };
    const deadline = setTimeout(() => {
      const open = ops.filter((o) => o.settled === 0).length;
      assert.fail(`seed ${seed}: ${open} operations had not settled after 10 minutes`);
    }, 600_000);
    try {
      await Promise.all(Array.from({ length: window }, runner));
    } finally {
      clearTimeout(deadline);
    }
    // Late, duplicate settlements would show up here.
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(c.pending, 0, 'nothing left pending on the connection');

    const counts = { ok: 0, cancelled: 0, failed: 0 };
    for (const op of ops) {
      assert.equal(op.settled, 1, `seed ${seed}: op ${op.seq} settled ${op.settled} times`);
      counts[op.outcome as Outcome]++;
      if (op.invalid) {
        // Rejected at conversion (on the COM worker, which knows the class), unless the
        // abort came first: always when aborted before the op was handed to native code.
        const why = `seed ${seed}: invalid op ${op.seq} (${op.abort}) ended ${op.code}`;
        if (op.abort === 'none') assert.equal(op.code, 'WBEM_E_TYPE_MISMATCH', why);
        else if (op.abort === 'before' || op.abort === 'sameTick') assert.equal(op.code, 'WBEM_E_CALL_CANCELLED', why);
        else assert.ok(op.code === 'WBEM_E_TYPE_MISMATCH' || op.code === 'WBEM_E_CALL_CANCELLED', why);
      } else if (op.abort === 'none') {
        assert.equal(op.outcome, 'ok', `seed ${seed}: op ${op.seq} without abort ended ${op.code}`);
      } else if (op.abort === 'before' || op.abort === 'sameTick') {
        // Aborted before the ops were handed to native code: never sent.
        assert.equal(op.outcome, 'cancelled', `seed ${seed}: op ${op.seq} aborted ${op.abort} ended ${op.outcome}`);
      } else {
        assert.notEqual(op.outcome, 'failed', `seed ${seed}: op ${op.seq} failed with ${op.code}`);
      }
    }

    // Read everything back.
    const stored = new Map<string, number>();
    for await (const o of c.enumerateInstances(Item.name)) stored.set(String(o.Name), Number(o.Seq));
    const byKey = new Map<string, Op[]>();
    for (const op of ops) {
      let list = byKey.get(op.key);
      if (!list) byKey.set(op.key, (list = []));
      list.push(op);
    }
    let cancelledButWritten = 0;
    for (const [key, list] of byKey) {
      const value = stored.get(key);
      const succeeded = list.filter((o) => o.outcome === 'ok');
      // What may be stored: the value of a put reported successful or cancelled, never of a failed one.
      const possible = new Set(list.filter((o) => o.outcome !== 'failed').map((o) => o.seq));
      if (succeeded.length > 0) {
        assert.ok(value !== undefined, `seed ${seed}: ${key} was reported written (op ${succeeded[0]?.seq}) but is absent`);
      }
      if (list[0]?.invalid) {
        assert.equal(value, undefined, `seed ${seed}: ${key} was written by a put that could not be converted`);
      }
      if (value !== undefined) {
        assert.ok(possible.has(value), `seed ${seed}: ${key} holds Seq ${value}, which no successful or cancelled put wrote`);
        if (succeeded.length === 0) cancelledButWritten++;
      }
    }
    for (const key of stored.keys()) assert.ok(byKey.has(key), `seed ${seed}: unexpected instance ${key}`);
    assert.ok(counts.ok > 0 && counts.cancelled > 0, `seed ${seed}: both outcomes occur (${JSON.stringify(counts)})`);
    t.diagnostic(
      `seed ${seed}: ${counts.ok} ok, ${counts.cancelled} cancelled, ${counts.failed} failed; ` +
        `${stored.size} instances; ${cancelledButWritten} keys written only by puts reported cancelled (best-effort cancel)`,
    );
    assert.equal(binding.counters().operations, 0);
  });
});
