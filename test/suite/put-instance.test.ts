// Conformance: PutInstanceAsync semantics (wmi-put-semantics.md §1.3, §1.7,
// §2.3, §6) through the public API, on every backend of backends.ts.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { ClassDefinition } from '../../lib/index';
import { backends } from './backends';
import { collect, inEnv, rejectsWith, serverError, userProps, type Env } from './helpers';
import { checkLeaksAtEnd } from '../leak-check';

// Every live counter of the addon is back at its start value once this file is done.
checkLeaksAtEnd();

const App: ClassDefinition = {
  name: 'Contoso_App',
  properties: {
    Name: { type: 'string', key: true },
    Size: { type: 'uint64' },
    Version: { type: 'string', default: '1.0' },
    Count: { type: 'uint32' },
  },
};

async function withApp(env: Env): Promise<void> {
  assert.equal(await env.conn.putClass(App), 'Contoso_App');
}

// getObject/deleteInstance failures: only the code is specified for them.
const notFoundAfterPut = (_path: string) => ({ code: 'WBEM_E_NOT_FOUND' }) as const;

for (const backend of backends) {
  describe(`putInstance [${backend.name}]`, { skip: backend.skip }, () => {
    describe('create/update matrix (§1.3)', () => {
      it('createOrUpdate on an absent instance creates it and resolves with the canonical path', inEnv(backend, async (env) => {
        await withApp(env);
        const path = await env.conn.putInstance('Contoso_App', { Name: 'x', Size: 5n });
        assert.equal(path, 'Contoso_App.Name="x"');
        const obj = await env.conn.getObject(path);
        assert.deepEqual(userProps(obj), { Name: 'x', Size: 5n, Version: '1.0', Count: null });
      }));

      it('createOrUpdate on an existing instance replaces it (omitted properties fall back to defaults)', inEnv(backend, async (env) => {
        await withApp(env);
        await env.conn.putInstance('Contoso_App', { Name: 'x', Size: 5n, Version: '2.0', Count: 3 });
        const path = await env.conn.putInstance('Contoso_App', { Name: 'x', Size: 6n }, { mode: 'createOrUpdate' });
        assert.equal(path, 'Contoso_App.Name="x"');
        assert.deepEqual(userProps(await env.conn.getObject(path)), { Name: 'x', Size: 6n, Version: '1.0', Count: null });
      }));

      it('createOnly on an absent instance creates it', inEnv(backend, async (env) => {
        await withApp(env);
        assert.equal(await env.conn.putInstance('Contoso_App', { Name: 'y' }, { mode: 'createOnly' }), 'Contoso_App.Name="y"');
        assert.equal((await env.conn.getObject('Contoso_App.Name="y"')).Name, 'y');
      }));

      it('createOnly on an existing instance fails with WBEM_E_ALREADY_EXISTS and changes nothing', inEnv(backend, async (env) => {
        await withApp(env);
        await env.conn.putInstance('Contoso_App', { Name: 'x', Size: 1n });
        const e = await rejectsWith(
          env.conn.putInstance('Contoso_App', { Name: 'x', Size: 2n }, { mode: 'createOnly' }),
          serverError('WBEM_E_ALREADY_EXISTS', 'PutInstance', 'Contoso_App.Name="x"'),
        );
        assert.equal(e.hresult, 0x80041019);
        assert.equal((await env.conn.getObject('Contoso_App.Name="x"')).Size, 1n);
      }));

      it('updateOnly on an absent instance fails with WBEM_E_NOT_FOUND and creates nothing', inEnv(backend, async (env) => {
        await withApp(env);
        const e = await rejectsWith(
          env.conn.putInstance('Contoso_App', { Name: 'z' }, { mode: 'updateOnly' }),
          serverError('WBEM_E_NOT_FOUND', 'PutInstance', 'Contoso_App.Name="z"'),
        );
        assert.equal(e.hresult, 0x80041002);
        await rejectsWith(env.conn.getObject('Contoso_App.Name="z"'), notFoundAfterPut('Contoso_App.Name="z"'));
      }));

      it('updateOnly on an existing instance updates it', inEnv(backend, async (env) => {
        await withApp(env);
        await env.conn.putInstance('Contoso_App', { Name: 'x', Size: 1n });
        assert.equal(await env.conn.putInstance('Contoso_App', { Name: 'x', Size: 9n, Count: 4 }, { mode: 'updateOnly' }), 'Contoso_App.Name="x"');
        assert.deepEqual(userProps(await env.conn.getObject('Contoso_App.Name="x"')), { Name: 'x', Size: 9n, Version: '1.0', Count: 4 });
      }));
    });

    describe('canonical paths (§6.3)', () => {
      it('compound keys are sorted alphabetically, integers decimal, strings quoted', inEnv(backend, async (env) => {
        await env.conn.putClass({
          name: 'Contoso_Pair',
          properties: { B: { type: 'string', key: true }, A: { type: 'sint32', key: true }, V: { type: 'uint8' } },
        });
        assert.equal(await env.conn.putInstance('Contoso_Pair', { B: 'x', A: 1 }), 'Contoso_Pair.A=1,B="x"');
        assert.equal(await env.conn.putInstance('Contoso_Pair', { B: 'y', A: -5 }), 'Contoso_Pair.A=-5,B="y"');
      }));

      it('escapes " and \\ in string keys', inEnv(backend, async (env) => {
        await withApp(env);
        const name = 'a"b\\c';
        const path = await env.conn.putInstance('Contoso_App', { Name: name });
        assert.equal(path, String.raw`Contoso_App.Name="a\"b\\c"`);
        assert.equal((await env.conn.getObject(path)).Name, name);
      }));

      it('booleans are TRUE/FALSE and 64-bit integers plain decimal', inEnv(backend, async (env) => {
        await env.conn.putClass({
          name: 'Contoso_Flag',
          properties: { Enabled: { type: 'boolean', key: true }, Id: { type: 'uint64', key: true }, Level: { type: 'sint8', key: true } },
        });
        assert.equal(
          await env.conn.putInstance('Contoso_Flag', { Level: -128, Id: 18446744073709551615n, Enabled: true }),
          'Contoso_Flag.Enabled=TRUE,Id=18446744073709551615,Level=-128',
        );
        assert.equal(
          await env.conn.putInstance('Contoso_Flag', { Level: 0, Id: 0n, Enabled: false }),
          'Contoso_Flag.Enabled=FALSE,Id=0,Level=0',
        );
      }));

      it('a singleton is addressed as Class=@', inEnv(backend, async (env) => {
        await env.conn.putClass({ name: 'Contoso_Settings', qualifiers: { Singleton: true }, properties: { Level: { type: 'uint32' } } });
        assert.equal(await env.conn.putInstance('Contoso_Settings', { Level: 3 }), 'Contoso_Settings=@');
        assert.equal(await env.conn.putInstance('Contoso_Settings', { Level: 4 }, { mode: 'updateOnly' }), 'Contoso_Settings=@');
        const obj = await env.conn.getObject('Contoso_Settings=@');
        assert.equal(obj.Level, 4);
        assert.equal(obj.__RELPATH, 'Contoso_Settings=@');
        await rejectsWith(
          env.conn.putInstance('Contoso_Settings', { Level: 5 }, { mode: 'createOnly' }),
          serverError('WBEM_E_ALREADY_EXISTS', 'PutInstance', 'Contoso_Settings=@'),
        );
      }));

      it('the path uses the class and key names as defined, whatever case the caller used', inEnv(backend, async (env) => {
        await withApp(env);
        assert.equal(await env.conn.putInstance('contoso_app', { name: 'Q' }), 'Contoso_App.Name="Q"');
        assert.equal((await env.conn.getObject('CONTOSO_APP.NAME="Q"')).__RELPATH, 'Contoso_App.Name="Q"');
      }));
    });

    describe('keys and NULLs (§1.7, §2.3)', () => {
      it('a NULL string key gets a GUID; each such put creates a new instance', inEnv(backend, async (env) => {
        await env.conn.putClass({ name: 'C', properties: { Id: { type: 'string', key: true }, V: { type: 'uint32' } } });
        const guidPath = /^C\.Id="\{[0-9A-F-]{36}\}"$/;
        const p1 = await env.conn.putInstance('C', { Id: null, V: 1 });
        const p2 = await env.conn.putInstance('C', { V: 2 });
        assert.match(p1, guidPath);
        assert.match(p2, guidPath);
        assert.notEqual(p1, p2);
        const o1 = await env.conn.getObject(p1);
        assert.equal(o1.V, 1);
        assert.equal(`C.Id="${String(o1.Id)}"`, p1);
        assert.equal((await env.conn.getObject(p2)).V, 2);
        assert.equal((await collect(env.conn.enumerateInstances('C'))).length, 2);
      }));

      it('a NULL non-string key fails with WBEM_E_ILLEGAL_NULL', inEnv(backend, async (env) => {
        await env.conn.putClass({ name: 'Contoso_Num', properties: { Id: { type: 'uint32', key: true } } });
        await rejectsWith(env.conn.putInstance('Contoso_Num', { Id: null }), serverError('WBEM_E_ILLEGAL_NULL', 'PutInstance', 'Id'));
        await rejectsWith(env.conn.putInstance('Contoso_Num', {}), serverError('WBEM_E_ILLEGAL_NULL', 'PutInstance', 'Id'));
        assert.deepEqual(await collect(env.conn.enumerateInstances('Contoso_Num')), []);
      }));

      it('NULL in a Not_Null property fails with WBEM_E_ILLEGAL_NULL', inEnv(backend, async (env) => {
        await env.conn.putClass({
          name: 'Contoso_Req',
          properties: { Name: { type: 'string', key: true }, Owner: { type: 'string', qualifiers: { Not_Null: true } } },
        });
        await rejectsWith(env.conn.putInstance('Contoso_Req', { Name: 'a', Owner: null }), serverError('WBEM_E_ILLEGAL_NULL', 'PutInstance', 'Owner'));
        await rejectsWith(env.conn.putInstance('Contoso_Req', { Name: 'a' }), serverError('WBEM_E_ILLEGAL_NULL', 'PutInstance', 'Owner'));
        assert.equal(await env.conn.putInstance('Contoso_Req', { Name: 'a', Owner: '' }), 'Contoso_Req.Name="a"');
      }));

      it('an instance of a keyless, non-singleton class fails with WBEM_E_NO_KEY', inEnv(backend, async (env) => {
        await env.conn.putClass({ name: 'Contoso_Keyless', properties: { V: { type: 'uint32' } } });
        const e = await rejectsWith(env.conn.putInstance('Contoso_Keyless', { V: 1 }), serverError('WBEM_E_NO_KEY', 'PutInstance', 'Contoso_Keyless'));
        assert.equal(e.hresult, 0x80041089);
      }));

      it('an instance of an abstract class fails with WBEM_E_INVALID_OPERATION', inEnv(backend, async (env) => {
        await env.conn.putClass({ name: 'Contoso_Abs', qualifiers: { Abstract: true }, properties: { Name: { type: 'string', key: true } } });
        const e = await rejectsWith(env.conn.putInstance('Contoso_Abs', { Name: 'a' }), serverError('WBEM_E_INVALID_OPERATION', 'PutInstance', 'Contoso_Abs'));
        assert.equal(e.hresult, 0x80041016);
      }));

      it('key values are unique across the hierarchy: a sibling class cannot take a used key', inEnv(backend, async (env) => {
        await env.conn.putClass({ name: 'Contoso_Base', properties: { Name: { type: 'string', key: true }, V: { type: 'uint32' } } });
        await env.conn.putClass({ name: 'Contoso_B', superclass: 'Contoso_Base', properties: { B: { type: 'uint32' } } });
        await env.conn.putClass({ name: 'Contoso_C', superclass: 'Contoso_Base', properties: { C: { type: 'uint32' } } });
        assert.equal(await env.conn.putInstance('Contoso_B', { Name: 'k', V: 1, B: 2 }), 'Contoso_B.Name="k"');
        // ParameterInfo names the instance that holds the key (the emulator's
        // choice; §1.3 leaves the Windows behaviour unconfirmed).
        await rejectsWith(
          env.conn.putInstance('Contoso_C', { Name: 'k', C: 3 }, { mode: 'createOnly' }),
          serverError('WBEM_E_ALREADY_EXISTS', 'PutInstance', 'Contoso_B.Name="k"'),
        );
        await rejectsWith(
          env.conn.putInstance('Contoso_C', { Name: 'k', C: 3 }),
          serverError('WBEM_E_INVALID_OPERATION', 'PutInstance', 'Contoso_B.Name="k"'),
        );
        await rejectsWith(
          env.conn.putInstance('Contoso_Base', { Name: 'k' }, { mode: 'createOnly' }),
          serverError('WBEM_E_ALREADY_EXISTS', 'PutInstance', 'Contoso_B.Name="k"'),
        );
        // Still the B instance, reachable through the key-declaring class.
        const obj = await env.conn.getObject('Contoso_Base.Name="k"');
        assert.equal(obj.__CLASS, 'Contoso_B');
        assert.deepEqual(userProps(obj), { Name: 'k', V: 1, B: 2 });
        await rejectsWith(env.conn.getObject('Contoso_C.Name="k"'), notFoundAfterPut('Contoso_C.Name="k"'));
        // Deleting the B instance frees the key for C.
        await env.conn.deleteInstance('Contoso_B.Name="k"');
        assert.equal(await env.conn.putInstance('Contoso_C', { Name: 'k', C: 3 }, { mode: 'createOnly' }), 'Contoso_C.Name="k"');
      }));
    });

    describe('properties', () => {
      it('omitted properties take the class default, or NULL without one', inEnv(backend, async (env) => {
        await env.conn.putClass({
          name: 'Contoso_Def',
          properties: {
            Name: { type: 'string', key: true },
            Level: { type: 'uint32', default: 7 },
            Big: { type: 'sint64', default: -3n },
            Tags: { type: 'string', array: true, default: ['a', 'b'] },
            Flag: { type: 'boolean', default: false },
            Note: { type: 'string' },
          },
        });
        await env.conn.putInstance('Contoso_Def', { Name: 'a' });
        assert.deepEqual(userProps(await env.conn.getObject('Contoso_Def.Name="a"')), {
          Name: 'a', Level: 7, Big: -3n, Tags: ['a', 'b'], Flag: false, Note: null,
        });
        // An explicit NULL overrides the default.
        await env.conn.putInstance('Contoso_Def', { Name: 'b', Level: null, Tags: null });
        assert.deepEqual(userProps(await env.conn.getObject('Contoso_Def.Name="b"')), {
          Name: 'b', Level: null, Big: -3n, Tags: null, Flag: false, Note: null,
        });
      }));

      it('an unknown property fails with WBEM_E_NOT_FOUND naming the property, and writes nothing', inEnv(backend, async (env) => {
        await withApp(env);
        const e = await rejectsWith(env.conn.putInstance('Contoso_App', { Name: 'x', Nope: 1 }), { code: 'WBEM_E_NOT_FOUND', property: 'Nope' });
        assert.equal(e.hresult, 0x80041002);
        await rejectsWith(env.conn.getObject('Contoso_App.Name="x"'), notFoundAfterPut('Contoso_App.Name="x"'));
      }));

      it('an unknown class fails with WBEM_E_NOT_FOUND', inEnv(backend, async (env) => {
        const e = await rejectsWith(env.conn.putInstance('Contoso_Missing', { Name: 'x' }), { code: 'WBEM_E_NOT_FOUND' });
        assert.equal(e.hresult, 0x80041002);
      }));

      it('a partial update (__PUT_EXT_PROPERTIES) changes only the listed properties', inEnv(backend, async (env) => {
        await withApp(env);
        await env.conn.putInstance('Contoso_App', { Name: 'x', Size: 1n, Version: '1.5', Count: 2 });
        const path = await env.conn.putInstance(
          'Contoso_App',
          { Name: 'x', Size: 9n, Version: '2.0', Count: null },
          { context: { __PUT_EXTENSIONS: true, __PUT_EXT_PROPERTIES: ['Size'] } },
        );
        assert.equal(path, 'Contoso_App.Name="x"');
        assert.deepEqual(userProps(await env.conn.getObject(path)), { Name: 'x', Size: 9n, Version: '1.5', Count: 2 });
      }));
    });

    describe('getObject, deleteInstance, enumerateInstances', () => {
      it('getObject accepts every path form', inEnv(backend, async (env) => {
        await withApp(env);
        await env.conn.putInstance('Contoso_App', { Name: 'x', Size: 1n });
        await env.conn.putClass({
          name: 'Contoso_Pair',
          properties: { B: { type: 'string', key: true }, A: { type: 'sint32', key: true } },
        });
        await env.conn.putInstance('Contoso_Pair', { A: 33, B: 'AAA' });
        const obj = await env.conn.getObject('Contoso_App.Name="x"');
        const server = obj.__SERVER;
        assert.equal(typeof server, 'string');
        const ns = env.namespace;
        const forms = [
          'Contoso_App="x"',
          "Contoso_App.Name='x'",
          `\\\\.\\${ns}:Contoso_App.Name="x"`,
          `\\\\${String(server)}\\${ns}:Contoso_App.Name="x"`,
          `${ns}:Contoso_App.Name="x"`,
        ];
        for (const form of forms) {
          const o = await env.conn.getObject(form);
          assert.equal(o.__RELPATH, 'Contoso_App.Name="x"', form);
          assert.equal(o.Size, 1n, form);
        }
        for (const form of ['Contoso_Pair.A=33,B="AAA"', 'Contoso_Pair.B="AAA",A=33', 'Contoso_Pair.b="AAA",a=33']) {
          assert.equal((await env.conn.getObject(form)).__RELPATH, 'Contoso_Pair.A=33,B="AAA"', form);
        }
      }));

      it('deleteInstance removes the instance: getObject then fails with WBEM_E_NOT_FOUND', inEnv(backend, async (env) => {
        await withApp(env);
        await env.conn.putInstance('Contoso_App', { Name: 'x' });
        await env.conn.deleteInstance('Contoso_App.Name="x"');
        const e = await rejectsWith(env.conn.getObject('Contoso_App.Name="x"'), notFoundAfterPut('Contoso_App.Name="x"'));
        assert.equal(e.hresult, 0x80041002);
        await rejectsWith(env.conn.deleteInstance('Contoso_App.Name="x"'), { code: 'WBEM_E_NOT_FOUND' });
        // The key is free again.
        assert.equal(await env.conn.putInstance('Contoso_App', { Name: 'x' }, { mode: 'createOnly' }), 'Contoso_App.Name="x"');
      }));

      it('enumerateInstances is deep by default and shallow on request', inEnv(backend, async (env) => {
        await env.conn.putClass({ name: 'Contoso_Base', properties: { Name: { type: 'string', key: true } } });
        await env.conn.putClass({ name: 'Contoso_Kid', superclass: 'Contoso_Base', properties: { X: { type: 'uint32' } } });
        await env.conn.putInstance('Contoso_Base', { Name: 'b1' });
        await env.conn.putInstance('Contoso_Base', { Name: 'b2' });
        await env.conn.putInstance('Contoso_Kid', { Name: 'k1', X: 1 });
        const rel = (objs: Array<{ __RELPATH: string | null }>) => objs.map((o) => o.__RELPATH).sort();
        assert.deepEqual(rel(await collect(env.conn.enumerateInstances('Contoso_Base'))), [
          'Contoso_Base.Name="b1"', 'Contoso_Base.Name="b2"', 'Contoso_Kid.Name="k1"',
        ]);
        assert.deepEqual(rel(await collect(env.conn.enumerateInstances('Contoso_Base', { deep: true }))), [
          'Contoso_Base.Name="b1"', 'Contoso_Base.Name="b2"', 'Contoso_Kid.Name="k1"',
        ]);
        assert.deepEqual(rel(await collect(env.conn.enumerateInstances('Contoso_Base', { deep: false }))), [
          'Contoso_Base.Name="b1"', 'Contoso_Base.Name="b2"',
        ]);
        const kids = await collect(env.conn.enumerateInstances('Contoso_Kid'));
        assert.equal(kids.length, 1);
        assert.deepEqual(userProps(kids[0] as object), { Name: 'k1', X: 1 });
        await rejectsWith(collect(env.conn.enumerateInstances('Contoso_Nothing')), { code: 'WBEM_E_INVALID_CLASS' });
      }));
    });
  });
}
