// Bad input through the public API: every wrong value, option, name, path or
// flag fails with its exact error (code, and `property` where a value is at
// fault), and the repository is unchanged afterwards (read back). Where the
// right behaviour is a success (a 1 MB string, a 100,000-element array, NUL
// inside a string, unpaired surrogates), the exact value reads back.
// Embedded backend, isolated repository per describe().
import { strict as assert } from 'node:assert';
import { before, describe, it } from 'node:test';
import {
  connect,
  createRepository,
  WbemSink,
  wbemChangeFlagCreateOnly,
  wbemChangeFlagUpdateOnly,
  wbemFlagReturnImmediately,
  type ClassDefinition,
  type Connection,
  type Repository,
} from '../lib/index';
import { checkLeaksAtEnd } from './leak-check';
import { collect, rejectsWith, throwsWith, userProps, type ExpectedError } from './suite/helpers';

let repo: Repository;
let conn: Connection;

checkLeaksAtEnd({
  teardown: async () => {
    await conn?.close();
    // Unreachable from here on, so the check sees them collected.
    conn = undefined as never;
    repo = undefined as never;
  },
});

const Bad: ClassDefinition = {
  name: 'Bad_Target',
  properties: {
    Name: { type: 'string', key: true },
    S8: { type: 'sint8' },
    U8: { type: 'uint8' },
    S16: { type: 'sint16' },
    U16: { type: 'uint16' },
    S32: { type: 'sint32' },
    U32: { type: 'uint32' },
    S64: { type: 'sint64' },
    U64: { type: 'uint64' },
    R32: { type: 'real32' },
    R64: { type: 'real64' },
    B: { type: 'boolean' },
    Str: { type: 'string' },
    C16: { type: 'char16' },
    DT: { type: 'datetime' },
    Ref: { type: 'reference', refClass: 'Bad_Target' },
    Obj: { type: 'object' },
    U32s: { type: 'uint32', array: true },
    Strs: { type: 'string', array: true },
    Objs: { type: 'object', array: true },
  },
};

const Node: ClassDefinition = {
  name: 'Bad_Node',
  properties: { V: { type: 'sint32' }, Child: { type: 'object' }, Kids: { type: 'object', array: true } },
};

/** The seed instance every failing put aims at; it must read back unchanged. */
const seed = { Name: 'seed', S32: 7, Str: 'original', U64: 5n, U32s: [1, 2, 3] };
const seedPath = 'Bad_Target.Name="seed"';

before(async () => {
  repo = createRepository();
  conn = await connect({ repository: repo });
  await conn.putClass(Node);
  await conn.putClass(Bad);
  await conn.putInstance(Bad.name, seed);
});

/** Every instance of Bad_Target, keyed by Name, user properties only. */
async function snapshot(): Promise<Map<string, Record<string, unknown>>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const o of await collect(conn.enumerateInstances(Bad.name))) out.set(String(o.Name), userProps(o));
  return out;
}

/** The seed reads back exactly as written (other properties NULL) and no other instance exists. */
async function assertUnchanged(): Promise<void> {
  const all = await snapshot();
  assert.deepEqual([...all.keys()], ['seed'], 'no instance was added');
  const o = all.get('seed') as Record<string, unknown>;
  assert.equal(o.S32, 7);
  assert.equal(o.Str, 'original');
  assert.equal(o.U64, 5n);
  assert.deepEqual(o.U32s, [1, 2, 3]);
  for (const [k, v] of Object.entries(o)) {
    if (!['Name', 'S32', 'Str', 'U64', 'U32s'].includes(k)) assert.equal(v, null, `${k} stays NULL`);
  }
}

/** A put of the seed's key with `props` must fail exactly so, and change nothing. */
async function rejectsPut(props: Record<string, unknown>, expected: ExpectedError): Promise<void> {
  await rejectsWith(conn.putInstance(Bad.name, { Name: 'seed', ...props } as never), expected);
  await rejectsWith(conn.putInstance(Bad.name, { Name: 'fresh', ...props } as never), expected);
  await assertUnchanged();
}

function mismatch(property: string): ExpectedError {
  return { code: 'WBEM_E_TYPE_MISMATCH', property };
}

describe('bad values: WBEM_E_TYPE_MISMATCH naming the property, nothing written', () => {
  it('wrong types', async () => {
    await rejectsPut({ S32: 'abc' }, mismatch('S32'));
    await rejectsPut({ S32: true }, mismatch('S32'));
    await rejectsPut({ B: 'true' }, mismatch('B'));
    await rejectsPut({ B: 1 }, mismatch('B'));
    await rejectsPut({ Str: 5 }, mismatch('Str'));
    await rejectsPut({ Str: {} }, mismatch('Str'));
    await rejectsPut({ Str: Symbol('s') }, mismatch('Str'));
    await rejectsPut({ Str: () => 1 }, mismatch('Str'));
    await rejectsPut({ U32s: 5 }, mismatch('U32s'));
    await rejectsPut({ U32s: [[1]] }, mismatch('U32s'));
    await rejectsPut({ U32s: [1, 'two'] }, mismatch('U32s'));
    await rejectsPut({ Obj: { V: 1 } }, mismatch('Obj'));
    await rejectsPut({ Obj: 'text' }, mismatch('Obj'));
    await rejectsPut({ DT: 'not a date' }, mismatch('DT'));
    await rejectsPut({ DT: new Date(NaN) }, mismatch('DT'));
    await rejectsPut({ Ref: '!!' }, mismatch('Ref'));
    await rejectsPut({ C16: 'ab' }, mismatch('C16'));
    await rejectsPut({ C16: 70000 }, mismatch('C16'));
    // A sparse array has a hole (NULL element), which CIM arrays cannot hold.
    // eslint-disable-next-line no-sparse-arrays
    await rejectsPut({ U32s: [1, , 3] }, mismatch('U32s'));
  });

  it('out-of-range and non-integral integers, for every width', async () => {
    await rejectsPut({ S8: -129 }, mismatch('S8'));
    await rejectsPut({ S8: 128 }, mismatch('S8'));
    await rejectsPut({ U8: 256 }, mismatch('U8'));
    await rejectsPut({ U8: -1 }, mismatch('U8'));
    await rejectsPut({ S16: 32768 }, mismatch('S16'));
    await rejectsPut({ U16: 65536 }, mismatch('U16'));
    await rejectsPut({ S32: 2 ** 31 }, mismatch('S32'));
    await rejectsPut({ S32: -(2 ** 31) - 1 }, mismatch('S32'));
    await rejectsPut({ U32: 2 ** 32 }, mismatch('U32'));
    await rejectsPut({ U32: 1.5 }, mismatch('U32'));
    await rejectsPut({ U32s: [1, 2, -3] }, mismatch('U32s'));
    await rejectsPut({ S64: 2n ** 63n }, mismatch('S64'));
    await rejectsPut({ S64: -(2n ** 63n) - 1n }, mismatch('S64'));
    await rejectsPut({ S64: 2 ** 60 }, mismatch('S64')); // not a safe integer: pass a bigint
    await rejectsPut({ U64: -1n }, mismatch('U64'));
    await rejectsPut({ R32: 1e300 }, mismatch('R32'));
  });

  it('2^64 as a bigint, a decimal string and a number', async () => {
    await rejectsPut({ U64: 2n ** 64n }, mismatch('U64'));
    await rejectsPut({ U64: '18446744073709551616' }, mismatch('U64'));
    await rejectsPut({ U64: 2 ** 64 }, mismatch('U64'));
    await rejectsPut({ S64: 2n ** 64n }, mismatch('S64'));
    // The largest values still fit and read back exactly.
    await conn.putInstance(Bad.name, { Name: 'max', U64: 2n ** 64n - 1n, S64: -(2n ** 63n) });
    const o = await conn.getObject('Bad_Target.Name="max"');
    assert.equal(o.U64, 2n ** 64n - 1n);
    assert.equal(o.S64, -(2n ** 63n));
    await conn.deleteInstance('Bad_Target.Name="max"');
    await assertUnchanged();
  });

  it('NaN and Infinity: rejected by integer and real32 properties, kept exactly by real64', async () => {
    for (const v of [NaN, Infinity, -Infinity]) {
      await rejectsPut({ S32: v }, mismatch('S32'));
      await rejectsPut({ U64: v }, mismatch('U64'));
      await rejectsPut({ R32: v }, mismatch('R32'));
    }
    await conn.putInstance(Bad.name, { Name: 'ieee', R64: NaN });
    assert.ok(Number.isNaN((await conn.getObject('Bad_Target.Name="ieee"')).R64));
    await conn.putInstance(Bad.name, { Name: 'ieee', R64: -Infinity });
    assert.equal((await conn.getObject('Bad_Target.Name="ieee"')).R64, -Infinity);
    await conn.deleteInstance('Bad_Target.Name="ieee"');
    await assertUnchanged();
  });

  it(`embedded objects nested past the documented depth (32) and cyclic objects`, async () => {
    const chain = (depth: number): Record<string, unknown> => {
      let o: Record<string, unknown> = { __CLASS: 'Bad_Node', V: 0 };
      for (let i = 1; i < depth; i++) o = { __CLASS: 'Bad_Node', V: i, Child: o };
      return o;
    };
    // 32 levels in all: the property's own object plus 31 below it.
    await conn.putInstance(Bad.name, { Name: 'deep', Obj: chain(31) as never });
    let o = (await conn.getObject('Bad_Target.Name="deep"')).Obj as Record<string, unknown>;
    let levels = 0;
    while (o) {
      assert.equal(o.V, 30 - levels);
      levels++;
      o = o.Child as Record<string, unknown>;
    }
    assert.equal(levels, 31);
    await conn.deleteInstance('Bad_Target.Name="deep"');
    await rejectsPut({ Obj: chain(40) }, mismatch('Obj'));
    await rejectsPut({ Obj: chain(1000) }, mismatch('Obj'));
    const cyclic: Record<string, unknown> = { __CLASS: 'Bad_Node', V: 1 };
    cyclic.Child = cyclic;
    await rejectsPut({ Obj: cyclic }, mismatch('Obj'));
    const cyclicArray: unknown[] = [];
    cyclicArray.push(cyclicArray);
    await rejectsPut({ Objs: cyclicArray }, mismatch('Objs'));
    const viaArray: Record<string, unknown> = { __CLASS: 'Bad_Node', V: 2 };
    viaArray.Kids = [viaArray];
    await rejectsPut({ Objs: [viaArray] }, mismatch('Objs'));
  });
});

describe('values that are accepted read back exactly', () => {
  it('a 1 MB string', async () => {
    const big = 'ab\u00e9\u4e2d'.repeat(1 << 18); // 1 MiB of UTF-16 units, non-ASCII included
    await conn.putInstance(Bad.name, { Name: 'big', Str: big });
    assert.equal((await conn.getObject('Bad_Target.Name="big"')).Str, big);
    await conn.deleteInstance('Bad_Target.Name="big"');
    await assertUnchanged();
  });

  it('a 100,000-element array', async () => {
    const nums = Array.from({ length: 100_000 }, (_, i) => (i * 2654435761) >>> 0);
    const strs = Array.from({ length: 100_000 }, (_, i) => `s${i}`);
    await conn.putInstance(Bad.name, { Name: 'wide', U32s: nums, Strs: strs });
    const o = await conn.getObject('Bad_Target.Name="wide"');
    assert.deepEqual(o.U32s, nums);
    assert.deepEqual(o.Strs, strs);
    await conn.deleteInstance('Bad_Target.Name="wide"');
    await assertUnchanged();
  });

  it('NUL inside a string, in a value and in a key', async () => {
    await conn.putInstance(Bad.name, { Name: 'nul', Str: 'a\u0000b\u0000', Strs: ['\u0000', 'x\u0000y'] });
    const o = await conn.getObject('Bad_Target.Name="nul"');
    assert.equal(o.Str, 'a\u0000b\u0000');
    assert.deepEqual(o.Strs, ['\u0000', 'x\u0000y']);
    await conn.deleteInstance('Bad_Target.Name="nul"');
    const path = await conn.putInstance(Bad.name, { Name: 'k\u0000ey', S32: 1 });
    assert.equal(path, 'Bad_Target.Name="k\u0000ey"');
    assert.equal((await conn.getObject(path)).Name, 'k\u0000ey');
    await conn.deleteInstance(path);
    await assertUnchanged();
  });

  it('unpaired surrogates are UTF-16 code units like any other and read back unchanged', async () => {
    const odd = 'a\uD800b\uDC00\uDBFF';
    await conn.putInstance(Bad.name, { Name: 'sur', Str: odd, C16: '\uD800' });
    const o = await conn.getObject('Bad_Target.Name="sur"');
    assert.equal(o.Str, odd);
    assert.equal(o.C16, '\uD800');
    await conn.deleteInstance('Bad_Target.Name="sur"');
    const path = await conn.putInstance(Bad.name, { Name: '\uDC00' });
    assert.equal(path, 'Bad_Target.Name="\uDC00"');
    assert.equal((await conn.getObject(path)).Name, '\uDC00');
    await conn.deleteInstance(path);
    await assertUnchanged();
  });
});

describe('names, paths and classes', () => {
  it('unknown classes and properties', async () => {
    await rejectsWith(conn.putInstance('Bad_Missing', { Name: 'x' }), { code: 'WBEM_E_NOT_FOUND' });
    await rejectsPut({ Nope: 1 }, { code: 'WBEM_E_NOT_FOUND', property: 'Nope' });
    await rejectsWith(conn.getObject('Bad_Missing.Name="x"'), { code: 'WBEM_E_INVALID_CLASS' });
    await rejectsWith(collect(conn.enumerateInstances('Bad_Missing')), { code: 'WBEM_E_INVALID_CLASS' });
    await rejectsWith(conn.deleteClass('Bad_Missing'), { code: 'WBEM_E_NOT_FOUND' });
    await assertUnchanged();
  });

  it('invalid identifiers', async () => {
    await rejectsWith(conn.putInstance('1bad name', { Name: 'x' }), { code: 'WBEM_E_INVALID_OBJECT_PATH' });
    await rejectsPut({ 'bad name': 1 }, { code: 'WBEM_E_NOT_FOUND', property: 'bad name' });
    await rejectsWith(conn.putClass({ name: '9Bad', properties: {} }), { code: 'WBEM_E_INVALID_PARAMETER' });
    await rejectsWith(conn.putClass({ name: 'Bad_Class', properties: { 'P Q': { type: 'string' } } }), {
      code: 'WBEM_E_INVALID_PARAMETER',
    });
    await rejectsWith(conn.putClass({ name: 'Bad_Class', properties: { P: { type: 'nope' as never } } }), {
      code: 'WBEM_E_INVALID_PROPERTY_TYPE',
      property: 'P',
    });
    await rejectsWith(conn.getClass('Bad_Class'), { code: 'WBEM_E_NOT_FOUND' });
    await rejectsWith(conn.putInstance('', { Name: 'x' }), { code: 'WBEM_E_INVALID_PARAMETER' });
    await rejectsWith(conn.putInstance(null as never, { Name: 'x' }), { code: 'WBEM_E_INVALID_PARAMETER' });
    await assertUnchanged();
  });

  it('paths over 8,192 characters', async () => {
    // A put whose __RELPATH would exceed WBEM_MAX_PATH (8192) is a quota violation (semantics §2).
    await rejectsWith(conn.putInstance(Bad.name, { Name: 'x'.repeat(8200) }), { code: 'WBEM_E_QUOTA_VIOLATION' });
    // The longest allowed key still works.
    const limit = 8192 - 'Bad_Target.Name=""'.length;
    const path = await conn.putInstance(Bad.name, { Name: 'k'.repeat(limit) });
    assert.equal(path.length, 8192);
    await conn.deleteInstance(path);
    // No object can have a longer path: reads and deletes find nothing.
    for (const n of [9000, 100_000]) {
      const long = `Bad_Target.Name="${'y'.repeat(n)}"`;
      await rejectsWith(conn.getObject(long), { code: 'WBEM_E_NOT_FOUND' });
      await rejectsWith(conn.deleteInstance(long), { code: 'WBEM_E_NOT_FOUND' });
    }
    await rejectsWith(conn.putClass({ name: 'C' + 'x'.repeat(4100), properties: {} }), { code: 'WBEM_E_QUOTA_VIOLATION' });
    await rejectsWith(conn.getObject('Bad_Target.Name=='), { code: 'WBEM_E_INVALID_OBJECT_PATH' });
    await rejectsWith(conn.getObject(''), { code: 'WBEM_E_INVALID_PARAMETER' });
    await assertUnchanged();
  });
});

describe('options, flags and arguments: WBEM_E_INVALID_PARAMETER before anything is sent', () => {
  const invalid: ExpectedError = { code: 'WBEM_E_INVALID_PARAMETER' };

  it('putInstance / putClass options', async () => {
    await rejectsWith(conn.putInstance(Bad.name, { Name: 'o1' }, { mode: 'nope' as never }), invalid);
    await rejectsWith(conn.putInstance(Bad.name, { Name: 'o1' }, { update: 'force' } as never), invalid);
    await rejectsWith(conn.putInstance(Bad.name, { Name: 'o1' }, { signal: {} as never }), invalid);
    await rejectsWith(conn.putInstance(Bad.name, { Name: 'o1' }, { context: 5 as never }), invalid);
    await rejectsWith(conn.putInstance(Bad.name, { Name: 'o1' }, { context: { A: { b: 1 } } }), { ...invalid, property: 'A' });
    await rejectsWith(conn.putInstance(Bad.name, { Name: 'o1' }, { context: { A: () => 1 } as never }), { ...invalid, property: 'A' });
    await rejectsWith(conn.putInstance(Bad.name, null as never), invalid);
    await rejectsWith(conn.putInstance(Bad.name, [] as never), invalid);
    await rejectsWith(conn.putClass(null as never), invalid);
    await rejectsWith(conn.putClass({ properties: {} } as never), invalid);
    await rejectsWith(conn.putClass({ name: 'Bad_Q', properties: 5 } as never), invalid);
    await rejectsWith(conn.putClass({ name: 'Bad_Q', properties: {} }, { update: 'x' as never }), invalid);
    assert.throws(() => conn.enumerateInstances(Bad.name, { deep: 1 as never }), (e: unknown) => {
      assert.equal((e as { code?: string }).code, 'WBEM_E_INVALID_PARAMETER');
      return true;
    });
    await assertUnchanged();
  });

  it('putAsync flags (thrown synchronously; the sink hears nothing)', () => {
    const sink = new WbemSink();
    let events = 0;
    for (const ev of ['objectPut', 'completed', 'progress'] as const) sink.on(ev, () => events++);
    const obj = { className: Bad.name, properties: { Name: 'pa' } };
    for (const flags of [-1, NaN, 1.5, 2 ** 32, 0x40000000, wbemFlagReturnImmediately, wbemChangeFlagCreateOnly | wbemChangeFlagUpdateOnly, 0x40]) {
      throwsWith(() => conn.putAsync(sink, obj, flags), invalid);
    }
    throwsWith(() => conn.putAsync({} as never, obj, 0), invalid);
    throwsWith(() => conn.putAsync(sink, null as never, 0), invalid);
    assert.equal(events, 0);
  });

  it('putMany options and items', async () => {
    const items = [{ className: Bad.name, properties: { Name: 'pm' } }];
    // Invalid options throw at the call, before any item is read.
    for (const options of [{ concurrency: 0 }, { concurrency: 1.5 }, { ordered: 1 }, { retries: -1 }, { mode: 'x' }, { signal: 5 }]) {
      throwsWith(() => conn.putMany(items, options as never), invalid);
    }
    await rejectsWith(collect(conn.putMany(5 as never)), invalid);
    // A bad item fails alone, with its own error; the good one is written.
    const results = await collect(
      conn.putMany([{ className: Bad.name, properties: { Name: 'pm', R64: 'x' } }, 5 as never, { className: Bad.name, properties: { Name: 'pm-ok' } }], { ordered: true }),
    );
    assert.equal(results.length, 3);
    assert.equal(results[0]?.error?.code, 'WBEM_E_TYPE_MISMATCH');
    assert.equal(results[0]?.error?.property, 'R64');
    assert.equal(results[1]?.error?.code, 'WBEM_E_INVALID_PARAMETER');
    assert.equal(results[2]?.path, 'Bad_Target.Name="pm-ok"');
    await conn.deleteInstance('Bad_Target.Name="pm-ok"');
    await assertUnchanged();
  });

  it('connect options and repository controls', async () => {
    const bad: unknown[] = [
      null,
      5,
      { namespace: 'r@@t' },
      { namespace: '' },
      { backend: 'x' },
      { timeoutMs: -1 },
      { timeoutMs: NaN },
      { delivery: 'x' },
      { user: 5 },
      { password: {} },
      { repository: {} },
      { repository: repo, backend: 'wmi' },
      { signal: 'x' },
    ];
    for (const options of bad) await rejectsWith(connect(options as never), invalid);
    await rejectsWith(connect({ repository: repo, namespace: 'root\\nope' }), { code: 'WBEM_E_INVALID_NAMESPACE' });
    throwsWith(() => repo.setDelivery('x' as never), invalid);
    throwsWith(() => repo.setDelivery('pooled', -1), invalid);
    throwsWith(() => repo.injectFault({ code: 'NOPE' as never }), invalid);
    throwsWith(() => repo.injectFault({ code: 'WBEM_E_FAILED', when: 'later' as never }), invalid);
    throwsWith(() => createRepository({ path: 42 as never }), invalid);
    throwsWith(() => createRepository({ path: '' }), invalid);
    await assertUnchanged();
  });
});

describe('abort before and after submission', () => {
  it('an already aborted signal rejects before anything is sent, with the reason as cause', async () => {
    const reason = new Error('stop');
    const signal = AbortSignal.abort(reason);
    await rejectsWith(conn.putInstance(Bad.name, { Name: 'ab' }, { signal }), { code: 'WBEM_E_CALL_CANCELLED', cause: reason });
    await rejectsWith(conn.putClass({ name: 'Bad_Ab', properties: {} }, { signal }), { code: 'WBEM_E_CALL_CANCELLED', cause: reason });
    await rejectsWith(conn.getObject(seedPath, { signal }), { code: 'WBEM_E_CALL_CANCELLED', cause: reason });
    await rejectsWith(conn.deleteInstance(seedPath, { signal }), { code: 'WBEM_E_CALL_CANCELLED', cause: reason });
    await rejectsWith(collect(conn.enumerateInstances(Bad.name, { signal })), { code: 'WBEM_E_CALL_CANCELLED', cause: reason });
    await rejectsWith(collect(conn.putMany([{ className: Bad.name, properties: { Name: 'ab' } }], { signal })), {
      code: 'WBEM_E_CALL_CANCELLED',
    });
    await rejectsWith(connect({ repository: repo, signal }), { code: 'WBEM_E_CALL_CANCELLED', cause: reason });
    await rejectsWith(conn.getClass('Bad_Ab'), { code: 'WBEM_E_NOT_FOUND' });
    await assertUnchanged();
  });

  it('aborted in the same tick as the call: cancelled before it reaches the server, nothing written', async () => {
    const ac = new AbortController();
    const p = conn.putInstance(Bad.name, { Name: 'seed', S32: 99 }, { signal: ac.signal });
    const q = conn.putInstance(Bad.name, { Name: 'ab-now' }, { signal: ac.signal });
    ac.abort('late');
    await rejectsWith(p, { code: 'WBEM_E_CALL_CANCELLED', cause: 'late' });
    await rejectsWith(q, { code: 'WBEM_E_CALL_CANCELLED', cause: 'late' });
    await assertUnchanged();
  });

  it('aborted after submission (while the server is slow): rejected with the cause, or it completed first', async () => {
    repo.setDelivery('pooled', 20_000);
    try {
      const ac = new AbortController();
      const p = conn.putInstance(Bad.name, { Name: 'ab-late' }, { signal: ac.signal });
      await new Promise((r) => setTimeout(r, 5));
      ac.abort('later');
      const outcome = await p.then(
        (path) => ({ path }),
        (e: unknown) => ({ error: e }),
      );
      if ('error' in outcome) {
        await rejectsWith(Promise.reject(outcome.error), { code: 'WBEM_E_CALL_CANCELLED', cause: 'later' });
      } else {
        assert.equal(outcome.path, 'Bad_Target.Name="ab-late"');
      }
      // Aborting a call that already settled changes nothing.
      const done = new AbortController();
      assert.equal(await conn.putInstance(Bad.name, { Name: 'ab-done' }, { signal: done.signal }), 'Bad_Target.Name="ab-done"');
      done.abort();
      assert.equal((await conn.getObject('Bad_Target.Name="ab-done"')).Name, 'ab-done');
    } finally {
      repo.setDelivery('pooled', 0);
    }
    // Best effort (documented): a put reported cancelled may still have been written.
    for (const name of ['ab-late', 'ab-done']) {
      await conn.deleteInstance(`Bad_Target.Name="${name}"`).catch(() => undefined);
    }
    await assertUnchanged();
  });
});
