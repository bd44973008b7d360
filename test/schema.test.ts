import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { CimDateTime, CimInterval } from '../lib/datetime';
import { WbemError } from '../lib/errors';
import { ClassSchema, CimProperty, cim, defineClass, isClassSchema } from '../lib/schema';
import type { ClassDefinition, PropertyDefinition } from '../lib/types';

function assertInvalidParameter(fn: () => unknown, fragment: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof WbemError, `expected a WbemError, got ${String(e)}`);
    assert.equal(e.code, 'WBEM_E_INVALID_PARAMETER');
    assert.ok(e.message.includes(fragment), `message ${JSON.stringify(e.message)} lacks ${JSON.stringify(fragment)}`);
    return true;
  });
}

describe('cim builders', () => {
  const simple: Array<[string, () => CimProperty<unknown, unknown>, PropertyDefinition]> = [
    ['sint8', cim.sint8, { type: 'sint8' }],
    ['uint8', cim.uint8, { type: 'uint8' }],
    ['sint16', cim.sint16, { type: 'sint16' }],
    ['uint16', cim.uint16, { type: 'uint16' }],
    ['sint32', cim.sint32, { type: 'sint32' }],
    ['uint32', cim.uint32, { type: 'uint32' }],
    ['sint64', cim.sint64, { type: 'sint64' }],
    ['uint64', cim.uint64, { type: 'uint64' }],
    ['real32', cim.real32, { type: 'real32' }],
    ['real64', cim.real64, { type: 'real64' }],
    ['boolean', cim.boolean, { type: 'boolean' }],
    ['string', cim.string, { type: 'string' }],
    ['char16', cim.char16, { type: 'char16' }],
    ['datetime', cim.datetime, { type: 'datetime' }],
    ['interval', cim.interval, { type: 'datetime', qualifiers: { SubType: 'interval' } }],
    ['reference', () => cim.reference(), { type: 'reference' }],
    ['object', () => cim.object(), { type: 'object' }],
  ];
  for (const [name, make, expected] of simple) {
    it(`cim.${name}() defines ${JSON.stringify(expected)}`, () => {
      const p = make();
      assert.ok(p instanceof CimProperty);
      assert.deepEqual(p.definition, expected);
      assert.deepEqual(p.array().definition, { ...expected, array: true });
      assert.deepEqual(p.key().definition, { ...expected, key: true });
      assert.equal(p.type, expected.type);
    });
  }

  it('references and objects name their class (string or schema)', () => {
    const User = defineClass('Contoso_User', { Id: cim.uint32().key() });
    assert.deepEqual(cim.reference('Contoso_User').definition, { type: 'reference', refClass: 'Contoso_User' });
    assert.deepEqual(cim.reference(User).definition, { type: 'reference', refClass: 'Contoso_User' });
    assert.deepEqual(cim.object('Contoso_User').definition, { type: 'object', objectClass: 'Contoso_User' });
    assert.deepEqual(cim.object(User).array().definition, { type: 'object', objectClass: 'Contoso_User', array: true });
    assertInvalidParameter(() => cim.reference(''), 'refClass must be a class name or a ClassSchema');
    assertInvalidParameter(() => cim.object(5 as unknown as string), 'objectClass must be');
  });

  it('is immutable: every modifier returns a new builder', () => {
    const base = cim.string();
    const key = base.key();
    const described = base.qualifier('Description', 'd');
    assert.notEqual(key, base);
    assert.deepEqual(base.definition, { type: 'string' });
    assert.deepEqual(key.definition, { type: 'string', key: true });
    assert.deepEqual(described.definition, { type: 'string', qualifiers: { Description: 'd' } });
    assert.equal(base.isKey, false);
    assert.equal(key.isKey, true);
    assert.equal(base.isArray, false);
    assert.equal(base.array().isArray, true);
  });

  it('notNull adds Not_Null, defaults and qualifiers with flavors', () => {
    const p = cim
      .uint32()
      .notNull()
      .default(7)
      .qualifier('Description', 'Count of things', { amended: true, toSubclass: true })
      .qualifier('Units', 'things')
      .qualifier('ValueMap', ['0', '1']);
    assert.deepEqual(p.definition, {
      type: 'uint32',
      default: 7,
      qualifiers: {
        Not_Null: true,
        Description: { value: 'Count of things', flavor: { amended: true, toSubclass: true } },
        Units: 'things',
        ValueMap: ['0', '1'],
      },
    });
  });

  it('a later qualifier of the same name (any case) replaces the earlier one', () => {
    const p = cim.string().qualifier('Description', 'a').qualifier('DESCRIPTION', 'b');
    assert.deepEqual(p.definition, { type: 'string', qualifiers: { DESCRIPTION: 'b' } });
    assert.deepEqual(cim.interval().qualifier('SubType', 'other').definition, {
      type: 'datetime',
      qualifiers: { SubType: 'other' },
    });
  });

  it('keeps default values as given (typed values included), copied', () => {
    const when = new Date('2024-01-31T22:59:59Z');
    const dt = CimDateTime.parse('20240131235959.000000+060');
    const iv = CimInterval.parse('00000001000000.000000:000');
    const tags = ['a', 'b'];
    const d = cim.datetime().default(when);
    const arr = cim.string().array().default(tags);
    when.setTime(0);
    tags.push('c');
    assert.deepEqual(d.definition, { type: 'datetime', default: new Date('2024-01-31T22:59:59Z') });
    assert.deepEqual(arr.definition, { type: 'string', array: true, default: ['a', 'b'] });
    assert.equal(cim.datetime().default(dt).definition.default, dt);
    assert.equal(cim.interval().default(iv).definition.default, iv);
    assert.deepEqual(cim.uint64().default(2n ** 64n - 1n).definition, { type: 'uint64', default: 18446744073709551615n });
    assert.deepEqual(cim.uint64().default('5').definition, { type: 'uint64', default: '5' });
    assert.deepEqual(cim.string().default(null as unknown as string).definition, { type: 'string', default: null });
    // A definition is a fresh object each time: mutating one does not change the builder.
    const def = arr.definition;
    (def.default as string[]).push('x');
    assert.deepEqual(arr.definition.default, ['a', 'b']);
  });

  it('rejects misuse at run time too', () => {
    const loose = (p: unknown) => p as { array(): unknown; default(v: unknown): unknown; qualifier(n: unknown, v: unknown): unknown };
    assertInvalidParameter(() => loose(cim.string().array()).array(), 'array() called twice');
    assertInvalidParameter(() => loose(cim.string().default('a')).array(), 'array() must come before default()');
    assertInvalidParameter(() => loose(cim.string().array()).default('a'), 'must be an array');
    assertInvalidParameter(() => loose(cim.string()).default(undefined), 'default() needs a value');
    assertInvalidParameter(() => loose(cim.string()).qualifier('', 'x'), 'qualifier name must be a non-empty string');
    assertInvalidParameter(() => loose(cim.string()).qualifier('When', new Date()), "qualifier 'When' must be");
    assertInvalidParameter(() => loose(cim.string()).qualifier('Big', 1n), "qualifier 'Big' must be");
  });
});

describe('defineClass', () => {
  it('builds the ClassDefinition of the architecture example', () => {
    const App = defineClass(
      'Contoso_App',
      { Name: cim.string().key(), Size: cim.uint64(), Seen: cim.datetime(), Tags: cim.string().array() },
      { qualifiers: { Description: 'apps' } },
    );
    const expected: ClassDefinition = {
      name: 'Contoso_App',
      qualifiers: { Description: 'apps' },
      properties: {
        Name: { type: 'string', key: true },
        Size: { type: 'uint64' },
        Seen: { type: 'datetime' },
        Tags: { type: 'string', array: true },
      },
    };
    assert.deepEqual(App.definition, expected);
    assert.equal(App.name, 'Contoso_App');
    assert.equal(App.superclass, undefined);
    assert.deepEqual(App.keys, ['Name']);
    assert.deepEqual(Object.keys(App.properties), ['Name', 'Size', 'Seen', 'Tags']);
    assert.ok(App instanceof ClassSchema);
    assert.equal(isClassSchema(App), true);
    assert.equal(isClassSchema('Contoso_App'), false);
    assert.equal(isClassSchema(expected), false);
    assert.equal(Object.prototype.toString.call(App), '[object ClassSchema]');
  });

  it('keeps property order and returns a fresh definition each time', () => {
    const S = defineClass('S', { B: cim.string(), A: cim.sint32(), C: cim.boolean() });
    assert.deepEqual(Object.keys(S.definition.properties), ['B', 'A', 'C']);
    const d = S.definition;
    d.properties.B!.key = true;
    d.name = 'Changed';
    assert.deepEqual(S.definition, {
      name: 'S',
      properties: { B: { type: 'string' }, A: { type: 'sint32' }, C: { type: 'boolean' } },
    });
  });

  it('abstract, singleton and class qualifiers', () => {
    const flags = defineClass('F', {}, {
      abstract: true,
      singleton: true,
      qualifiers: { Description: { value: 'x', flavor: { amended: true } }, Version: 2 },
    });
    assert.deepEqual(flags.definition, {
      name: 'F',
      qualifiers: { Description: { value: 'x', flavor: { amended: true } }, Version: 2, Abstract: true, Singleton: true },
      properties: {},
    });
    assert.deepEqual(defineClass('G', {}, { abstract: false, singleton: false }).definition, { name: 'G', properties: {} });
    assertInvalidParameter(
      () => defineClass('H', {}, { qualifiers: { When: new Date() as unknown as string } }),
      "qualifier 'When' must be",
    );
  });

  it('a superclass schema lends its properties to the types but not to the definition', () => {
    const Base = defineClass('Contoso_Base', { Id: cim.uint32().key(), Note: cim.string() }, { abstract: true });
    const Derived = defineClass('Contoso_Derived', { Note: cim.string().notNull(), Extra: cim.sint64() }, { superclass: Base });
    assert.deepEqual(Derived.definition, {
      name: 'Contoso_Derived',
      superclass: 'Contoso_Base',
      properties: {
        Note: { type: 'string', qualifiers: { Not_Null: true } },
        Extra: { type: 'sint64' },
      },
    });
    assert.equal(Derived.superclass, 'Contoso_Base');
    assert.deepEqual(Object.keys(Derived.properties), ['Id', 'Note', 'Extra']);
    assert.deepEqual(Derived.keys, ['Id']);
    assert.deepEqual(Derived.properties.Note.definition, { type: 'string', qualifiers: { Not_Null: true } });
    const ByName = defineClass('Contoso_ByName', { K: cim.string().key() }, { superclass: 'Contoso_Base' });
    assert.deepEqual(ByName.definition, {
      name: 'Contoso_ByName',
      superclass: 'Contoso_Base',
      properties: { K: { type: 'string', key: true } },
    });
    assert.deepEqual(ByName.keys, ['K']);
  });

  it('passes methods through (copied)', () => {
    const methods = {
      Reset: { parameters: { Force: { type: 'boolean' as const, in: true } }, returnType: 'uint32' as const },
    };
    const S = defineClass('M', {}, { methods });
    methods.Reset.parameters.Force.in = false;
    assert.deepEqual(S.definition, {
      name: 'M',
      properties: {},
      methods: { Reset: { parameters: { Force: { type: 'boolean', in: true } }, returnType: 'uint32' } },
    });
  });

  it('item() builds a putMany item', () => {
    const App = defineClass('Contoso_App', { Name: cim.string().key(), Size: cim.uint64() });
    assert.deepEqual(App.item({ Name: 'x', Size: 5n }), { className: 'Contoso_App', properties: { Name: 'x', Size: 5n } });
  });

  it('rejects bad arguments', () => {
    const loose = defineClass as unknown as (n: unknown, p: unknown, o?: unknown) => unknown;
    assertInvalidParameter(() => loose('', {}), 'class name must be a non-empty string');
    assertInvalidParameter(() => loose(5, {}), 'class name must be a non-empty string');
    assertInvalidParameter(() => loose('X', null), 'properties must be an object');
    assertInvalidParameter(() => loose('X', { Name: 'string' }), "property 'Name' must be built with cim.*()");
    assertInvalidParameter(() => loose('X', { Name: { type: 'string' } }), "property 'Name' must be built");
    assertInvalidParameter(() => loose('X', {}, { superclass: 5 }), 'superclass must be a class name or a ClassSchema');
  });
});
