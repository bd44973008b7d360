// Conformance: every CIM type through putInstance/getObject, lossless
// (ARCHITECTURE.md §5 "Values", wmi-put-semantics.md §5), and the system
// properties of an instance read back (§5.3).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { CimDateTime, CimInterval, type ClassDefinition, type InstanceProperties } from '../../lib/index';
import { backends } from './backends';
import { inEnv, rejectsWith, scalarTypes, userProps, type Env } from './helpers';
import { checkLeaksAtEnd } from '../leak-check';

// Every live counter of the addon is back at its start value once this file is done.
checkLeaksAtEnd();

function valuesClass(): ClassDefinition {
  const properties: ClassDefinition['properties'] = { Name: { type: 'string', key: true } };
  for (const [name, type] of Object.entries(scalarTypes)) {
    properties[name] = { type };
    properties[`A${name}`] = { type, array: true };
  }
  properties.Iv = { type: 'datetime', qualifiers: { SubType: 'interval' } };
  properties.AIv = { type: 'datetime', array: true, qualifiers: { SubType: 'interval' } };
  properties.Ref = { type: 'reference' };
  properties.ARef = { type: 'reference', array: true };
  properties.Obj = { type: 'object' };
  properties.AObj = { type: 'object', array: true };
  return { name: 'Contoso_Values', properties };
}

const Values = valuesClass();
const propertyNames = Object.keys(Values.properties);

const Inner: ClassDefinition = {
  name: 'Contoso_Inner',
  properties: { X: { type: 'sint32' }, Nested: { type: 'object' } },
};

async function setup(env: Env): Promise<void> {
  await env.conn.putClass(Inner);
  await env.conn.putClass(Values);
}

let serial = 0;

/** Puts one instance with `props` and reads it back. */
async function roundTrip(env: Env, props: InstanceProperties): Promise<Record<string, unknown>> {
  const name = `v${++serial}`;
  const path = await env.conn.putInstance('Contoso_Values', { Name: name, ...props });
  assert.equal(path, `Contoso_Values.Name="${name}"`);
  return (await env.conn.getObject(path)) as Record<string, unknown>;
}

/** A put that must fail with TYPE_MISMATCH on `property`, writing nothing. */
async function rejectsValue(env: Env, property: string, value: unknown): Promise<void> {
  const name = `bad${++serial}`;
  await rejectsWith(
    env.conn.putInstance('Contoso_Values', { Name: name, [property]: value } as InstanceProperties),
    { code: 'WBEM_E_TYPE_MISMATCH', property },
  );
  await rejectsWith(env.conn.getObject(`Contoso_Values.Name="${name}"`), { code: 'WBEM_E_NOT_FOUND' });
}

const integerLimits: Array<[string, number | bigint, number | bigint, number | bigint, number | bigint]> = [
  ['S8', -128, 127, -129, 128],
  ['U8', 0, 255, -1, 256],
  ['S16', -32768, 32767, -32769, 32768],
  ['U16', 0, 65535, -1, 65536],
  ['S32', -2147483648, 2147483647, -2147483649, 2147483648],
  ['U32', 0, 4294967295, -1, 4294967296],
  ['S64', -9223372036854775808n, 9223372036854775807n, -9223372036854775809n, 9223372036854775808n],
  ['U64', 0n, 18446744073709551615n, -1n, 18446744073709551616n],
];

const dt = (text: string): CimDateTime => CimDateTime.parse(text);

function assertDateTime(value: unknown, text: string): void {
  assert.ok(value instanceof CimDateTime, `expected a CimDateTime, got ${String(value)}`);
  assert.equal(value.toString(), text);
}

function assertInterval(value: unknown, text: string): void {
  assert.ok(value instanceof CimInterval, `expected a CimInterval, got ${String(value)}`);
  assert.equal(value.toString(), text);
}

for (const backend of backends) {
  describe(`values [${backend.name}]`, { skip: backend.skip }, () => {
    describe('integers', () => {
      for (const [prop, min, max, below, above] of integerLimits) {
        it(`${prop} (${Values.properties[prop]?.type}) round-trips ${min}..${max} and rejects ${below} and ${above}`, inEnv(backend, async (env) => {
          await setup(env);
          assert.equal((await roundTrip(env, { [prop]: min }))[prop], min);
          assert.equal((await roundTrip(env, { [prop]: max }))[prop], max);
          assert.equal((await roundTrip(env, { [prop]: typeof min === 'bigint' ? 0n : 0 }))[prop], typeof min === 'bigint' ? 0n : 0);
          await rejectsValue(env, prop, below);
          await rejectsValue(env, prop, above);
          // A rejected update leaves the stored instance unchanged.
          await env.conn.putInstance('Contoso_Values', { Name: 'keep', [prop]: max });
          await rejectsWith(env.conn.putInstance('Contoso_Values', { Name: 'keep', [prop]: above }), { code: 'WBEM_E_TYPE_MISMATCH', property: prop });
          assert.equal((await env.conn.getObject('Contoso_Values.Name="keep"'))[prop], max);
        }));
      }

      it('rejects non-integral numbers, NaN and ±Infinity for every integer type', inEnv(backend, async (env) => {
        await setup(env);
        for (const [prop] of integerLimits) {
          for (const bad of [1.5, -0.25, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
            await rejectsValue(env, prop, bad);
          }
        }
      }));

      it('32-bit and smaller integers also take an in-range bigint', inEnv(backend, async (env) => {
        await setup(env);
        const o = await roundTrip(env, { U8: 200n, S16: -3n, U32: 4294967295n });
        assert.equal(o.U8, 200);
        assert.equal(o.S16, -3);
        assert.equal(o.U32, 4294967295);
        await rejectsValue(env, 'U8', 256n);
      }));

      it('64-bit integers take bigint, safe-integer numbers and decimal strings, and read back as bigint', inEnv(backend, async (env) => {
        await setup(env);
        let o = await roundTrip(env, { S64: -9007199254740991, U64: 9007199254740991 });
        assert.equal(o.S64, -9007199254740991n);
        assert.equal(o.U64, 9007199254740991n);
        o = await roundTrip(env, { S64: '-9223372036854775808', U64: '18446744073709551615' });
        assert.equal(o.S64, -9223372036854775808n);
        assert.equal(o.U64, 18446744073709551615n);
        o = await roundTrip(env, { S64: '0042', U64: '7' });
        assert.equal(o.S64, 42n);
        assert.equal(o.U64, 7n);
        o = await roundTrip(env, { S64: 2n ** 60n, U64: 2n ** 63n });
        assert.equal(o.S64, 2n ** 60n);
        assert.equal(o.U64, 2n ** 63n);
        // Unsafe numbers would already have lost precision.
        await rejectsValue(env, 'U64', 2 ** 53);
        await rejectsValue(env, 'S64', -(2 ** 53));
        for (const bad of ['-1', '18446744073709551616', '1e3', '0x10', '12a', '', ' 1']) await rejectsValue(env, 'U64', bad);
        for (const bad of ['9223372036854775808', '-9223372036854775809', '+-1', '1.0']) await rejectsValue(env, 'S64', bad);
      }));
    });

    describe('reals, booleans, strings, char16', () => {
      it('real32 rounds to the nearest float and rejects non-finite or out-of-range values', inEnv(backend, async (env) => {
        await setup(env);
        assert.equal((await roundTrip(env, { R32: 1.5 })).R32, 1.5);
        assert.equal((await roundTrip(env, { R32: 0.1 })).R32, Math.fround(0.1));
        assert.equal((await roundTrip(env, { R32: -3.4028234663852886e38 })).R32, -3.4028234663852886e38);
        for (const bad of [3.5e38, -1e39, Number.NaN, Number.POSITIVE_INFINITY]) await rejectsValue(env, 'R32', bad);
      }));

      it('real64 round-trips exactly', inEnv(backend, async (env) => {
        await setup(env);
        for (const v of [0.1, -1.7976931348623157e308, 5e-324, 123456789.123456789]) {
          assert.equal((await roundTrip(env, { R64: v })).R64, v);
        }
      }));

      it('booleans round-trip', inEnv(backend, async (env) => {
        await setup(env);
        assert.equal((await roundTrip(env, { B: true })).B, true);
        assert.equal((await roundTrip(env, { B: false })).B, false);
      }));

      it('strings keep non-ASCII text, embedded NULs and 1 MB of data exactly', inEnv(backend, async (env) => {
        await setup(env);
        for (const s of ['héllo wörld — 日本語 🎉', 'a\0b\0', '', 'x'.repeat(1 << 20), 'quote " and back\\slash']) {
          const o = await roundTrip(env, { Str: s });
          assert.equal(typeof o.Str, 'string');
          assert.equal((o.Str as string).length, s.length);
          assert.ok(o.Str === s, `string of length ${s.length} differs after the round trip`);
        }
      }));

      it("char16 takes a one-unit string or its code and reads back as a string ('A', 65 → 'A')", inEnv(backend, async (env) => {
        await setup(env);
        assert.equal((await roundTrip(env, { C16: 'A' })).C16, 'A');
        assert.equal((await roundTrip(env, { C16: 65 })).C16, 'A');
        assert.equal((await roundTrip(env, { C16: 'é' })).C16, 'é');
        assert.equal((await roundTrip(env, { C16: 0xffff })).C16, '\uffff');
        for (const bad of ['AB', '', 65536, -1, 1.5]) await rejectsValue(env, 'C16', bad);
      }));
    });

    describe('datetimes and intervals', () => {
      it('datetimes keep microseconds and the UTC offset (toString() is exactly what was written)', inEnv(backend, async (env) => {
        await setup(env);
        for (const text of ['20240131235959.123456-300', '20240229000000.000001+060', '00010101000000.000000+000', '99991231235959.999999-999']) {
          assertDateTime((await roundTrip(env, { Dt: text })).Dt, text);
        }
        assertDateTime((await roundTrip(env, { Dt: dt('20240131235959.123456-300') })).Dt, '20240131235959.123456-300');
      }));

      it('datetimes keep wildcards', inEnv(backend, async (env) => {
        await setup(env);
        assertDateTime((await roundTrip(env, { Dt: '19980416******.000000+***' })).Dt, '19980416******.000000+***');
        assertDateTime((await roundTrip(env, { Dt: '********123456.000000+000' })).Dt, '********123456.000000+000');
      }));

      it('a Date is written as UTC', inEnv(backend, async (env) => {
        await setup(env);
        const o = await roundTrip(env, { Dt: new Date(Date.UTC(2024, 0, 31, 23, 59, 59, 123)) });
        assertDateTime(o.Dt, '20240131235959.123000+000');
        assert.equal((o.Dt as CimDateTime).toDate().getTime(), Date.UTC(2024, 0, 31, 23, 59, 59, 123));
      }));

      it('invalid datetime strings fail with WBEM_E_TYPE_MISMATCH', inEnv(backend, async (env) => {
        await setup(env);
        for (const bad of ['garbage', '20241301000000.000000+000', '20240230000000.000000+000', '20240131235959.123456', '20240131245959.000000+000', '2024013123595.1234567+000']) {
          await rejectsValue(env, 'Dt', bad);
        }
      }));

      it("intervals (SubType 'interval') round-trip as CimInterval", inEnv(backend, async (env) => {
        await setup(env);
        assertInterval((await roundTrip(env, { Iv: '00000001020304.000005:000' })).Iv, '00000001020304.000005:000');
        assertInterval((await roundTrip(env, { Iv: CimInterval.parse('99999999235959.999999:000') })).Iv, '99999999235959.999999:000');
        await rejectsValue(env, 'Iv', '0000000102030.000005:000');
      }));
    });

    describe('references and embedded objects', () => {
      it('references are stored as the exact path string, escapes included', inEnv(backend, async (env) => {
        await setup(env);
        for (const ref of [
          String.raw`Contoso_Values.Name="a\\b"`,
          String.raw`Contoso_Values.Name="q\"uote"`,
          String.raw`\\.\root\cimv2:Contoso_Values.Name="x"`,
          'Contoso_Settings=@',
        ]) {
          assert.equal((await roundTrip(env, { Ref: ref })).Ref, ref);
        }
      }));

      it('embedded objects round-trip with their class, NULLs and nesting', inEnv(backend, async (env) => {
        await setup(env);
        let o = await roundTrip(env, { Obj: { __CLASS: 'Contoso_Inner', X: 1 } });
        assert.deepEqual(o.Obj, { __CLASS: 'Contoso_Inner', X: 1, Nested: null });
        o = await roundTrip(env, {
          Obj: { __CLASS: 'Contoso_Inner', X: 1, Nested: { __CLASS: 'Contoso_Inner', X: 2, Nested: { __CLASS: 'Contoso_Inner', X: 3 } } },
        });
        assert.deepEqual(o.Obj, {
          __CLASS: 'Contoso_Inner',
          X: 1,
          Nested: { __CLASS: 'Contoso_Inner', X: 2, Nested: { __CLASS: 'Contoso_Inner', X: 3, Nested: null } },
        });
        await rejectsValue(env, 'Obj', { __CLASS: 'Contoso_Inner', Nope: 1 });
        await rejectsValue(env, 'Obj', { __CLASS: 'Contoso_NoSuchClass', X: 1 });
        await rejectsValue(env, 'Obj', { __CLASS: 'Contoso_Inner', X: 1.5 });
      }));
    });

    describe('arrays and NULL', () => {
      it('arrays of every type round-trip', inEnv(backend, async (env) => {
        await setup(env);
        const o = await roundTrip(env, {
          AS8: [-128, 0, 127],
          AU8: [0, 255],
          AS16: [-32768, 32767],
          AU16: [0, 65535],
          AS32: [-2147483648, 2147483647],
          AU32: [0, 4294967295],
          AS64: [-9223372036854775808n, 0n, 9223372036854775807n],
          AU64: [0n, 18446744073709551615n],
          AR32: [1.5, -2.25],
          AR64: [0.1, -1e300],
          AB: [true, false, true],
          AStr: ['a', '', 'ü', 'x\0y'],
          AC16: ['A', 66],
          ADt: ['20240131235959.123456-300', '19980416******.000000+***'],
          AIv: ['00000001020304.000005:000'],
          ARef: [String.raw`Contoso_Values.Name="a\\b"`, 'Contoso_Settings=@'],
          AObj: [{ __CLASS: 'Contoso_Inner', X: 1 }, { __CLASS: 'Contoso_Inner', X: 2, Nested: { __CLASS: 'Contoso_Inner', X: 3 } }],
        });
        assert.deepEqual(o.AS8, [-128, 0, 127]);
        assert.deepEqual(o.AU8, [0, 255]);
        assert.deepEqual(o.AS16, [-32768, 32767]);
        assert.deepEqual(o.AU16, [0, 65535]);
        assert.deepEqual(o.AS32, [-2147483648, 2147483647]);
        assert.deepEqual(o.AU32, [0, 4294967295]);
        assert.deepEqual(o.AS64, [-9223372036854775808n, 0n, 9223372036854775807n]);
        assert.deepEqual(o.AU64, [0n, 18446744073709551615n]);
        assert.deepEqual(o.AR32, [1.5, -2.25]);
        assert.deepEqual(o.AR64, [0.1, -1e300]);
        assert.deepEqual(o.AB, [true, false, true]);
        assert.deepEqual(o.AStr, ['a', '', 'ü', 'x\0y']);
        assert.deepEqual(o.AC16, ['A', 'B']);
        assert.ok(Array.isArray(o.ADt));
        assert.equal((o.ADt as unknown[]).length, 2);
        assertDateTime((o.ADt as unknown[])[0], '20240131235959.123456-300');
        assertDateTime((o.ADt as unknown[])[1], '19980416******.000000+***');
        assert.ok(Array.isArray(o.AIv));
        assert.equal((o.AIv as unknown[]).length, 1);
        assertInterval((o.AIv as unknown[])[0], '00000001020304.000005:000');
        assert.deepEqual(o.ARef, [String.raw`Contoso_Values.Name="a\\b"`, 'Contoso_Settings=@']);
        assert.deepEqual(o.AObj, [
          { __CLASS: 'Contoso_Inner', X: 1, Nested: null },
          { __CLASS: 'Contoso_Inner', X: 2, Nested: { __CLASS: 'Contoso_Inner', X: 3, Nested: null } },
        ]);
      }));

      it('empty arrays of every type read back as [] (not NULL)', inEnv(backend, async (env) => {
        await setup(env);
        const arrays = propertyNames.filter((n) => Values.properties[n]?.array === true);
        assert.equal(arrays.length, 17);
        const props: InstanceProperties = {};
        for (const n of arrays) props[n] = [];
        const o = await roundTrip(env, props);
        for (const n of arrays) assert.deepEqual(o[n], [], n);
      }));

      it('an out-of-range or NULL array element fails with WBEM_E_TYPE_MISMATCH', inEnv(backend, async (env) => {
        await setup(env);
        await rejectsValue(env, 'AU8', [1, 256]);
        await rejectsValue(env, 'AS32', [1, 1.5]);
        await rejectsValue(env, 'AStr', ['a', null]);
        await rejectsValue(env, 'ADt', ['20240131235959.123456-300', 'garbage']);
        await rejectsValue(env, 'AU8', 5);
      }));

      it('NULL reads back as null for every property, distinct from 0, false, "" and []', inEnv(backend, async (env) => {
        await setup(env);
        const nulls: InstanceProperties = {};
        for (const n of propertyNames) if (n !== 'Name') nulls[n] = null;
        const o = await roundTrip(env, nulls);
        for (const n of propertyNames) if (n !== 'Name') assert.equal(o[n], null, n);
        const omitted = await roundTrip(env, {});
        for (const n of propertyNames) if (n !== 'Name') assert.equal(omitted[n], null, n);
        const zeros = await roundTrip(env, { S32: 0, U64: 0n, R64: 0, B: false, Str: '', AS32: [] });
        assert.equal(zeros.S32, 0);
        assert.equal(zeros.U64, 0n);
        assert.equal(zeros.R64, 0);
        assert.equal(zeros.B, false);
        assert.equal(zeros.Str, '');
        assert.deepEqual(zeros.AS32, []);
        assert.equal(zeros.S8, null);
      }));

      it('a value of the wrong kind fails with WBEM_E_TYPE_MISMATCH naming the property', inEnv(backend, async (env) => {
        await setup(env);
        await rejectsValue(env, 'U32', 'not a number');
        await rejectsValue(env, 'B', 'yes');
        await rejectsValue(env, 'Str', 5);
        await rejectsValue(env, 'Obj', 'Contoso_Inner');
        await rejectsValue(env, 'S32', [1]);
      }));
    });

    describe('system properties (§5.3)', () => {
      it('getObject returns exactly the documented system properties with exact values', inEnv(backend, async (env) => {
        await setup(env);
        const o = await roundTrip(env, { U32: 1 });
        const name = String(o.Name);
        const rel = `Contoso_Values.Name="${name}"`;
        const server = o.__SERVER;
        assert.equal(typeof server, 'string');
        assert.match(server as string, /^[^\\/:"]+$/);
        assert.deepEqual(Object.keys(o).filter((k) => k.startsWith('__')).sort(), [
          '__CLASS', '__DERIVATION', '__DYNASTY', '__GENUS', '__NAMESPACE', '__PATH', '__PROPERTY_COUNT', '__RELPATH', '__SERVER', '__SUPERCLASS',
        ]);
        assert.equal(o.__CLASS, 'Contoso_Values');
        assert.equal(o.__GENUS, 2);
        assert.equal(o.__RELPATH, rel);
        assert.equal(o.__PATH, `\\\\${server as string}\\${env.namespace}:${rel}`);
        assert.equal(o.__NAMESPACE, env.namespace);
        assert.equal(o.__PROPERTY_COUNT, propertyNames.length);
        assert.deepEqual(o.__DERIVATION, []);
        assert.equal(o.__SUPERCLASS, null);
        assert.equal(o.__DYNASTY, 'Contoso_Values');
        assert.deepEqual(Object.keys(userProps(o)).sort(), [...propertyNames].sort());
      }));

      it('a derived instance reports its class chain', inEnv(backend, async (env) => {
        await setup(env);
        await env.conn.putClass({ name: 'Contoso_MoreValues', superclass: 'Contoso_Values', properties: { Extra: { type: 'uint8' } } });
        const path = await env.conn.putInstance('Contoso_MoreValues', { Name: 'd', Extra: 1 });
        assert.equal(path, 'Contoso_MoreValues.Name="d"');
        const o = await env.conn.getObject(path);
        assert.equal(o.__CLASS, 'Contoso_MoreValues');
        assert.equal(o.__SUPERCLASS, 'Contoso_Values');
        assert.equal(o.__DYNASTY, 'Contoso_Values');
        assert.deepEqual(o.__DERIVATION, ['Contoso_Values']);
        assert.equal(o.__PROPERTY_COUNT, propertyNames.length + 1);
        assert.equal(o.__PATH, `\\\\${String(o.__SERVER)}\\${env.namespace}:Contoso_MoreValues.Name="d"`);
      }));
    });
  });
}
