// Conformance: PutClassAsync semantics (wmi-put-semantics.md §1.3, §2.1-§2.4,
// §5.3-§5.4) through the public API, on every backend of backends.ts.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { ClassDefinition } from '../../lib/index';
import { backends } from './backends';
import { collect, inEnv, rejectsWith, serverError, userProps, type Env } from './helpers';
import { checkLeaksAtEnd } from '../leak-check';

// Every live counter of the addon is back at its start value once this file is done.
checkLeaksAtEnd();

const putClassError = (code: Parameters<typeof serverError>[0], parameterInfo: string) => serverError(code, 'PutClass', parameterInfo);

const Base: ClassDefinition = {
  name: 'Contoso_Base',
  qualifiers: { Description: 'base' },
  properties: { Name: { type: 'string', key: true }, Size: { type: 'uint32' } },
};
const Child: ClassDefinition = {
  name: 'Contoso_Child',
  superclass: 'Contoso_Base',
  properties: { Extra: { type: 'string' } },
};

async function hierarchy(env: Env): Promise<void> {
  await env.conn.putClass(Base);
  await env.conn.putClass(Child);
}

function withProperty(def: ClassDefinition, name: string, prop: ClassDefinition['properties'][string]): ClassDefinition {
  return { ...def, properties: { ...def.properties, [name]: prop } };
}

for (const backend of backends) {
  describe(`putClass [${backend.name}]`, { skip: backend.skip }, () => {
    describe('create/update matrix (§1.3)', () => {
      it('createOrUpdate creates an absent class and resolves with its name', inEnv(backend, async (env) => {
        assert.equal(await env.conn.putClass(Base), 'Contoso_Base');
        assert.deepEqual(await env.conn.getClass('Contoso_Base'), Base);
      }));

      it('createOnly creates an absent class; on an existing one it fails with WBEM_E_ALREADY_EXISTS', inEnv(backend, async (env) => {
        assert.equal(await env.conn.putClass(Base, { mode: 'createOnly' }), 'Contoso_Base');
        const e = await rejectsWith(env.conn.putClass(Base, { mode: 'createOnly' }), putClassError('WBEM_E_ALREADY_EXISTS', 'Contoso_Base'));
        assert.equal(e.hresult, 0x80041019);
      }));

      it('updateOnly fails with WBEM_E_NOT_FOUND on an absent class and updates an existing one', inEnv(backend, async (env) => {
        await rejectsWith(env.conn.putClass(Base, { mode: 'updateOnly' }), putClassError('WBEM_E_NOT_FOUND', 'Contoso_Base'));
        await rejectsWith(env.conn.getClass('Contoso_Base'), { code: 'WBEM_E_NOT_FOUND' });
        await env.conn.putClass(Base);
        const changed = withProperty(Base, 'Owner', { type: 'string' });
        assert.equal(await env.conn.putClass(changed, { mode: 'updateOnly' }), 'Contoso_Base');
        assert.deepEqual(await env.conn.getClass('Contoso_Base'), changed);
      }));

      it('createOrUpdate on an existing class without instances or children updates it', inEnv(backend, async (env) => {
        await env.conn.putClass(Base);
        const changed: ClassDefinition = { ...Base, properties: { Name: { type: 'string', key: true }, Size: { type: 'uint64' } } };
        assert.equal(await env.conn.putClass(changed), 'Contoso_Base');
        assert.deepEqual(await env.conn.getClass('Contoso_Base'), changed);
      }));
    });

    describe('getClass → putClass round trip', () => {
      const Rich: ClassDefinition = {
        name: 'Contoso_Rich',
        qualifiers: {
          Description: 'a rich class',
          Version: 3,
          Weight: 2.5,
          Tags: { value: ['a', 'b'], flavor: { toSubclass: true, toInstance: true } },
          Locked: { value: true, flavor: { disableOverride: true, toSubclass: true } },
        },
        properties: {
          Name: { type: 'string', key: true, qualifiers: { Description: 'the name', MaxLen: 64 } },
          Id: { type: 'uint32', key: true },
          Size: { type: 'uint64', default: 5n },
          Offset: { type: 'sint64', default: -9223372036854775808n },
          Ratio: { type: 'real64', default: 0.5 },
          Small: { type: 'real32', default: 1.25 },
          Flag: { type: 'boolean', default: true },
          Letter: { type: 'char16', default: 'Z' },
          Labels: { type: 'string', array: true, default: ['x', 'y'] },
          Codes: { type: 'uint16', array: true },
          Owner: { type: 'reference', refClass: 'Contoso_Rich' },
          AnyRef: { type: 'reference' },
          Payload: { type: 'object', objectClass: 'Contoso_Part' },
          AnyObject: { type: 'object', array: true },
          Notes: { type: 'string', qualifiers: { Values: ['a', 'b'], ValueMap: ['1', '2'], Units: { value: 'bytes', flavor: { toSubclass: true } } } },
          Duration: { type: 'datetime', qualifiers: { SubType: 'interval' } },
        },
        methods: {
          Start: {
            returnType: 'uint32',
            parameters: {
              Timeout: { type: 'uint32', in: true },
              Target: { type: 'reference', refClass: 'Contoso_Rich', in: true },
              Names: { type: 'string', array: true, in: true, out: true },
              Result: { type: 'string', out: true, qualifiers: { Description: 'what happened' } },
            },
            qualifiers: { Static: true, Description: 'starts it' },
          },
          Stop: {},
        },
      };

      it('getClass returns exactly the definition that was put (qualifiers with flavors, defaults, keys, refClass/objectClass, arrays, methods)', inEnv(backend, async (env) => {
        await env.conn.putClass({ name: 'Contoso_Part', properties: { P: { type: 'uint8' } } });
        await env.conn.putClass(Rich);
        const read = await env.conn.getClass('Contoso_Rich');
        assert.deepEqual(read, Rich);
        // And what getClass returns can be put back as is, unchanged.
        assert.equal(await env.conn.putClass(read, { mode: 'updateOnly' }), 'Contoso_Rich');
        assert.deepEqual(await env.conn.getClass('Contoso_Rich'), Rich);
        // Also into a fresh class of another name.
        await env.conn.putClass({ ...read, name: 'Contoso_Rich2' });
        assert.deepEqual(await env.conn.getClass('Contoso_Rich2'), { ...Rich, name: 'Contoso_Rich2' });
      }));

      it('a derived class lists only what it declares or overrides; inherited qualifiers come from the parent', inEnv(backend, async (env) => {
        await env.conn.putClass({ name: 'Contoso_Part', properties: { P: { type: 'uint8' } } });
        await env.conn.putClass(Rich);
        const Derived: ClassDefinition = {
          name: 'Contoso_RichChild',
          superclass: 'Contoso_Rich',
          qualifiers: { Description: 'child' },
          properties: {
            Size: { type: 'uint64', default: 6n },
            More: { type: 'sint16' },
          },
        };
        await env.conn.putClass(Derived);
        assert.deepEqual(await env.conn.getClass('Contoso_RichChild'), Derived);
        // The class object itself shows the whole chain and every property.
        const cls = await env.conn.getObject('Contoso_RichChild');
        assert.equal(cls.__GENUS, 1);
        assert.equal(cls.__CLASS, 'Contoso_RichChild');
        assert.equal(cls.__PROPERTY_COUNT, Object.keys(Rich.properties).length + 1);
      }));

      it('a datetime default reads back as the same CimDateTime text', inEnv(backend, async (env) => {
        await env.conn.putClass({ name: 'Contoso_When', properties: { At: { type: 'datetime', default: '20240131235959.123456-300' } } });
        const read = await env.conn.getClass('Contoso_When');
        assert.equal(String(read.properties.At?.default), '20240131235959.123456-300');
        await env.conn.putClass(read, { mode: 'updateOnly' });
        assert.equal(String((await env.conn.getClass('Contoso_When')).properties.At?.default), '20240131235959.123456-300');
      }));
    });

    describe('update modes (§2.1, §2.2)', () => {
      it('compatible mode: a layout change of a class with instances fails with WBEM_E_CLASS_HAS_INSTANCES', inEnv(backend, async (env) => {
        await env.conn.putClass(Base);
        await env.conn.putInstance('Contoso_Base', { Name: 'a', Size: 1 });
        const e = await rejectsWith(env.conn.putClass(withProperty(Base, 'Owner', { type: 'string' })), putClassError('WBEM_E_CLASS_HAS_INSTANCES', 'Contoso_Base'));
        assert.equal(e.hresult, 0x80041026);
        await rejectsWith(
          env.conn.putClass(withProperty(Base, 'Owner', { type: 'string' }), { update: 'compatible' }),
          putClassError('WBEM_E_CLASS_HAS_INSTANCES', 'Contoso_Base'),
        );
        assert.deepEqual(await env.conn.getClass('Contoso_Base'), Base);
        assert.equal((await env.conn.getObject('Contoso_Base.Name="a"')).Size, 1);
      }));

      it('compatible mode: a layout change of a class with subclasses fails with WBEM_E_CLASS_HAS_CHILDREN', inEnv(backend, async (env) => {
        await hierarchy(env);
        const e = await rejectsWith(env.conn.putClass(withProperty(Base, 'Owner', { type: 'string' })), putClassError('WBEM_E_CLASS_HAS_CHILDREN', 'Contoso_Base'));
        assert.equal(e.hresult, 0x80041025);
        assert.deepEqual(await env.conn.getClass('Contoso_Base'), Base);
      }));

      it('an unimportant change (Description) is allowed with instances and subclasses', inEnv(backend, async (env) => {
        await hierarchy(env);
        await env.conn.putInstance('Contoso_Base', { Name: 'a', Size: 1 });
        await env.conn.putInstance('Contoso_Child', { Name: 'c', Extra: 'e' });
        const changed: ClassDefinition = { ...Base, qualifiers: { Description: 'changed' } };
        assert.equal(await env.conn.putClass(changed), 'Contoso_Base');
        assert.deepEqual(await env.conn.getClass('Contoso_Base'), changed);
        assert.equal((await env.conn.getObject('Contoso_Base.Name="a"')).Size, 1);
        assert.equal((await env.conn.getObject('Contoso_Child.Name="c"')).Extra, 'e');
      }));

      it('putting an unchanged class is allowed with instances and subclasses', inEnv(backend, async (env) => {
        await hierarchy(env);
        await env.conn.putInstance('Contoso_Base', { Name: 'a' });
        assert.equal(await env.conn.putClass(Base), 'Contoso_Base');
        assert.equal((await env.conn.getObject('Contoso_Base.Name="a"')).Name, 'a');
      }));

      it('safe mode: adding a property to a class with subclasses (no instances) succeeds and the subclasses inherit it', inEnv(backend, async (env) => {
        await hierarchy(env);
        const changed = withProperty(Base, 'Owner', { type: 'string', default: 'me' });
        assert.equal(await env.conn.putClass(changed, { update: 'safe' }), 'Contoso_Base');
        assert.deepEqual(await env.conn.getClass('Contoso_Base'), changed);
        assert.deepEqual(await env.conn.getClass('Contoso_Child'), Child);
        await env.conn.putInstance('Contoso_Child', { Name: 'c' });
        assert.deepEqual(userProps(await env.conn.getObject('Contoso_Child.Name="c"')), { Name: 'c', Size: null, Owner: 'me', Extra: null });
      }));

      it('safe mode: a change that conflicts with a subclass fails with WBEM_E_UPDATE_TYPE_MISMATCH (compatible: WBEM_E_CLASS_HAS_CHILDREN)', inEnv(backend, async (env) => {
        await hierarchy(env);
        const conflicting = withProperty(Base, 'Extra', { type: 'uint32' });
        const e = await rejectsWith(env.conn.putClass(conflicting, { update: 'safe' }), putClassError('WBEM_E_UPDATE_TYPE_MISMATCH', 'Contoso_Child'));
        assert.equal(e.hresult, 0x80041052);
        await rejectsWith(env.conn.putClass(conflicting), putClassError('WBEM_E_CLASS_HAS_CHILDREN', 'Contoso_Base'));
        assert.deepEqual(await env.conn.getClass('Contoso_Base'), Base);
        assert.deepEqual(await env.conn.getClass('Contoso_Child'), Child);
      }));

      it('safe mode: a layout change of a class with instances fails with WBEM_E_CLASS_HAS_INSTANCES', inEnv(backend, async (env) => {
        await env.conn.putClass(Base);
        await env.conn.putInstance('Contoso_Base', { Name: 'a' });
        await rejectsWith(
          env.conn.putClass(withProperty(Base, 'Owner', { type: 'string' }), { update: 'safe' }),
          putClassError('WBEM_E_CLASS_HAS_INSTANCES', 'Contoso_Base'),
        );
      }));

      it('force mode: a layout change of a static class with instances succeeds and deletes the instances', inEnv(backend, async (env) => {
        await env.conn.putClass(Base);
        await env.conn.putInstance('Contoso_Base', { Name: 'a', Size: 1 });
        const changed = withProperty(Base, 'Owner', { type: 'string' });
        assert.equal(await env.conn.putClass(changed, { update: 'force' }), 'Contoso_Base');
        assert.deepEqual(await env.conn.getClass('Contoso_Base'), changed);
        await rejectsWith(env.conn.getObject('Contoso_Base.Name="a"'), { code: 'WBEM_E_NOT_FOUND' });
        assert.deepEqual(await collect(env.conn.enumerateInstances('Contoso_Base')), []);
        assert.equal(await env.conn.putInstance('Contoso_Base', { Name: 'a', Owner: 'o' }), 'Contoso_Base.Name="a"');
      }));

      it('force mode: a layout change of a class with subclasses succeeds and the subclasses follow it', inEnv(backend, async (env) => {
        await hierarchy(env);
        const changed = withProperty(Base, 'Owner', { type: 'string' });
        assert.equal(await env.conn.putClass(changed, { update: 'force' }), 'Contoso_Base');
        await env.conn.putInstance('Contoso_Child', { Name: 'c', Owner: 'o', Extra: 'e' });
        assert.deepEqual(userProps(await env.conn.getObject('Contoso_Child.Name="c"')), { Name: 'c', Size: null, Owner: 'o', Extra: 'e' });
      }));
    });

    describe('class rules (§2.3, §2.4)', () => {
      it('a missing superclass fails with WBEM_E_NOT_FOUND', inEnv(backend, async (env) => {
        const e = await rejectsWith(env.conn.putClass({ ...Child, superclass: 'Contoso_Nowhere' }), { code: 'WBEM_E_NOT_FOUND' });
        assert.equal(e.hresult, 0x80041002);
        await rejectsWith(env.conn.getClass('Contoso_Child'), { code: 'WBEM_E_NOT_FOUND' });
      }));

      it("a class name starting with '_' fails with WBEM_E_INVALID_OPERATION, one ending with '_' with WBEM_E_INVALID_OBJECT", inEnv(backend, async (env) => {
        const a = await rejectsWith(env.conn.putClass({ name: '_Contoso', properties: {} }), putClassError('WBEM_E_INVALID_OPERATION', '_Contoso'));
        assert.equal(a.hresult, 0x80041016);
        const b = await rejectsWith(env.conn.putClass({ name: 'Contoso_', properties: {} }), putClassError('WBEM_E_INVALID_OBJECT', 'Contoso_'));
        assert.equal(b.hresult, 0x8004100f);
      }));

      it('a singleton with keys fails with WBEM_E_CANNOT_BE_SINGLETON', inEnv(backend, async (env) => {
        const e = await rejectsWith(
          env.conn.putClass({ name: 'Contoso_One', qualifiers: { Singleton: true }, properties: { Id: { type: 'uint32', key: true } } }),
          putClassError('WBEM_E_CANNOT_BE_SINGLETON', 'Contoso_One'),
        );
        assert.equal(e.hresult, 0x8004102c);
      }));

      it('an abstract class under a concrete parent fails with WBEM_E_CANNOT_BE_ABSTRACT', inEnv(backend, async (env) => {
        await env.conn.putClass(Base);
        const e = await rejectsWith(
          env.conn.putClass({ name: 'Contoso_Abs', superclass: 'Contoso_Base', qualifiers: { Abstract: true }, properties: {} }),
          putClassError('WBEM_E_CANNOT_BE_ABSTRACT', 'Contoso_Abs'),
        );
        assert.equal(e.hresult, 0x80041065);
        // Under an abstract parent it is fine.
        await env.conn.putClass({ name: 'Contoso_AbsRoot', qualifiers: { Abstract: true }, properties: {} });
        assert.equal(await env.conn.putClass({ name: 'Contoso_Abs', superclass: 'Contoso_AbsRoot', qualifiers: { Abstract: true }, properties: {} }), 'Contoso_Abs');
      }));

      it('a derived class adding a key under a keyed parent fails with WBEM_E_CANNOT_BE_KEY', inEnv(backend, async (env) => {
        await env.conn.putClass(Base);
        const e = await rejectsWith(
          env.conn.putClass({ name: 'Contoso_Child', superclass: 'Contoso_Base', properties: { Id: { type: 'uint32', key: true } } }),
          putClassError('WBEM_E_CANNOT_BE_KEY', 'Id'),
        );
        assert.equal(e.hresult, 0x8004101f);
        // Under an abstract keyless parent a derived class may introduce keys.
        await env.conn.putClass({ name: 'Contoso_AbsRoot', qualifiers: { Abstract: true }, properties: { Common: { type: 'string' } } });
        assert.equal(
          await env.conn.putClass({ name: 'Contoso_Keyed', superclass: 'Contoso_AbsRoot', properties: { Id: { type: 'uint32', key: true } } }),
          'Contoso_Keyed',
        );
        assert.equal(await env.conn.putInstance('Contoso_Keyed', { Id: 4, Common: 'c' }), 'Contoso_Keyed.Id=4');
      }));

      it('an amended qualifier needs amendedQualifiers: true (WBEM_E_AMENDED_OBJECT otherwise)', inEnv(backend, async (env) => {
        const Amended: ClassDefinition = {
          name: 'Contoso_Loc',
          qualifiers: { Description: { value: 'localized', flavor: { amended: true } } },
          properties: { Name: { type: 'string', key: true } },
        };
        const e = await rejectsWith(env.conn.putClass(Amended), putClassError('WBEM_E_AMENDED_OBJECT', 'Contoso_Loc'));
        assert.equal(e.hresult, 0x80041066);
        await rejectsWith(env.conn.getClass('Contoso_Loc'), { code: 'WBEM_E_NOT_FOUND' });
        assert.equal(await env.conn.putClass(Amended, { amendedQualifiers: true }), 'Contoso_Loc');
        assert.equal(await env.conn.putClass(Amended, { amendedQualifiers: true, mode: 'updateOnly' }), 'Contoso_Loc');
        const propAmended: ClassDefinition = {
          name: 'Contoso_Loc2',
          properties: { Name: { type: 'string', key: true, qualifiers: { Description: { value: 'x', flavor: { amended: true } } } } },
        };
        await rejectsWith(env.conn.putClass(propAmended), putClassError('WBEM_E_AMENDED_OBJECT', 'Contoso_Loc2'));
      }));

      it('deleteClass removes the class, its subclasses and all their instances', inEnv(backend, async (env) => {
        await hierarchy(env);
        await env.conn.putClass({ name: 'Contoso_Grand', superclass: 'Contoso_Child', properties: {} });
        await env.conn.putInstance('Contoso_Base', { Name: 'b' });
        await env.conn.putInstance('Contoso_Child', { Name: 'c' });
        await env.conn.putInstance('Contoso_Grand', { Name: 'g' });
        await env.conn.deleteClass('Contoso_Base');
        for (const name of ['Contoso_Base', 'Contoso_Child', 'Contoso_Grand']) {
          await rejectsWith(env.conn.getClass(name), { code: 'WBEM_E_NOT_FOUND' });
        }
        await rejectsWith(env.conn.getObject('Contoso_Grand.Name="g"'), { code: 'WBEM_E_INVALID_CLASS' });
        await rejectsWith(env.conn.deleteClass('Contoso_Base'), { code: 'WBEM_E_NOT_FOUND' });
        // Recreating the class starts empty.
        await env.conn.putClass(Base);
        assert.deepEqual(await collect(env.conn.enumerateInstances('Contoso_Base')), []);
      }));

      it('deleteClass of a subclass leaves the parent and its other instances alone', inEnv(backend, async (env) => {
        await hierarchy(env);
        await env.conn.putInstance('Contoso_Base', { Name: 'b' });
        await env.conn.putInstance('Contoso_Child', { Name: 'c' });
        await env.conn.deleteClass('Contoso_Child');
        const left = await collect(env.conn.enumerateInstances('Contoso_Base'));
        assert.deepEqual(left.map((o) => o.__RELPATH), ['Contoso_Base.Name="b"']);
        // The key of the deleted instance is free again.
        assert.equal(await env.conn.putInstance('Contoso_Base', { Name: 'c' }, { mode: 'createOnly' }), 'Contoso_Base.Name="c"');
      }));
    });

    describe('system properties and namespaces', () => {
      it('__DERIVATION, __SUPERCLASS and __DYNASTY of a 3-level hierarchy', inEnv(backend, async (env) => {
        await hierarchy(env);
        await env.conn.putClass({ name: 'Contoso_Grand', superclass: 'Contoso_Child', properties: { G: { type: 'uint8' } } });
        const expectations: Array<[string, string | null, string[]]> = [
          ['Contoso_Base', null, []],
          ['Contoso_Child', 'Contoso_Base', ['Contoso_Base']],
          ['Contoso_Grand', 'Contoso_Child', ['Contoso_Child', 'Contoso_Base']],
        ];
        for (const [name, superclass, derivation] of expectations) {
          const cls = await env.conn.getObject(name);
          assert.equal(cls.__CLASS, name);
          assert.equal(cls.__GENUS, 1);
          assert.equal(cls.__SUPERCLASS, superclass, name);
          assert.equal(cls.__DYNASTY, 'Contoso_Base', name);
          assert.deepEqual(cls.__DERIVATION, derivation, name);
          assert.equal(cls.__RELPATH, name);
          assert.equal(cls.__NAMESPACE, env.namespace);
          assert.equal(cls.__PATH, `\\\\${String(cls.__SERVER)}\\${env.namespace}:${name}`);
        }
        await env.conn.putInstance('Contoso_Grand', { Name: 'g', G: 1 });
        const inst = await env.conn.getObject('Contoso_Grand.Name="g"');
        assert.equal(inst.__GENUS, 2);
        assert.equal(inst.__SUPERCLASS, 'Contoso_Child');
        assert.equal(inst.__DYNASTY, 'Contoso_Base');
        assert.deepEqual(inst.__DERIVATION, ['Contoso_Child', 'Contoso_Base']);
        assert.equal(inst.__PROPERTY_COUNT, 4);
        const classes = await collect(env.conn.enumerateClasses('Contoso_Base'));
        assert.deepEqual(classes.map((c) => c.name).sort(), ['Contoso_Child', 'Contoso_Grand']);
        const shallow = await collect(env.conn.enumerateClasses('Contoso_Base', { deep: false }));
        assert.deepEqual(shallow.map((c) => c.name), ['Contoso_Child']);
      }));

      it('a namespace created by putting a __NAMESPACE instance has the system classes', inEnv(backend, async (env) => {
        const child = `${env.root}\\agent`;
        await rejectsWith(env.connect({ namespace: child }), { code: 'WBEM_E_INVALID_NAMESPACE' });
        const rootConn = await env.connect({ namespace: env.root });
        assert.equal(await rootConn.putInstance('__NAMESPACE', { Name: 'agent' }), '__NAMESPACE.Name="agent"');
        const agent = await env.connect({ namespace: child });
        for (const name of ['__SystemClass', '__NAMESPACE', '__ExtendedStatus', '__NotifyStatus', '__Provider', '__Win32Provider']) {
          const cls = await agent.getClass(name);
          assert.equal(cls.name, name);
        }
        const ext = await agent.getObject('__ExtendedStatus');
        assert.deepEqual(ext.__DERIVATION, ['__NotifyStatus', '__SystemClass']);
        assert.equal(ext.__NAMESPACE, child);
        // It is a working namespace of its own.
        await agent.putClass(Base);
        assert.equal(await agent.putInstance('Contoso_Base', { Name: 'a' }), 'Contoso_Base.Name="a"');
        await rejectsWith(env.conn.getClass('Contoso_Base'), { code: 'WBEM_E_NOT_FOUND' });
        const listed = await collect(rootConn.enumerateInstances('__NAMESPACE'));
        assert.ok(listed.some((o) => o.Name === 'agent'), 'the new namespace is listed in its parent');
        // Connect strings: '/' separators, any case.
        const again = await env.connect({ namespace: child.replace(/\\/g, '/').toUpperCase() });
        assert.equal((await again.getObject('Contoso_Base.Name="a"')).Name, 'a');
      }));
    });
  });
}
