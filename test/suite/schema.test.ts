// Conformance: typed schemas end to end — defineClass → putClass(schema) →
// putInstance(schema, {...}) → getObject(path, { schema }) typed.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { CimDateTime, CimInterval, cim, defineClass, type ObjectOf } from '../../lib/index';
import { backends } from './backends';
import { collect, inEnv, rejectsWith, userProps } from './helpers';
import { checkLeaksAtEnd } from '../leak-check';

// Every live counter of the addon is back at its start value once this file is done.
checkLeaksAtEnd();

const Part = defineClass('Contoso_Part', { P: cim.uint8(), Label: cim.string() });

const App = defineClass(
  'Contoso_App',
  {
    Name: cim.string().key(),
    Size: cim.uint64().default(5n),
    Level: cim.uint32().notNull().default(1),
    Seen: cim.datetime(),
    Up: cim.interval(),
    Tags: cim.string().array(),
    Owner: cim.reference('Contoso_App'),
    Part: cim.object(Part),
    Ratio: cim.real64(),
    Letter: cim.char16(),
    Enabled: cim.boolean().default(true),
  },
  { qualifiers: { Description: 'apps' } },
);

const Plugin = defineClass('Contoso_Plugin', { Host: cim.string(), Order: cim.sint16() }, { superclass: App });

const Settings = defineClass('Contoso_Settings', { Level: cim.uint32(), Mode: cim.string().default('auto') }, { singleton: true });

const Shape = defineClass('Contoso_Shape', { Id: cim.uint32().key() }, { abstract: true });

for (const backend of backends) {
  describe(`schema [${backend.name}]`, { skip: backend.skip }, () => {
    it('putClass(schema) stores exactly schema.definition', inEnv(backend, async (env) => {
      assert.equal(await env.conn.putClass(Part), 'Contoso_Part');
      assert.equal(await env.conn.putClass(App), 'Contoso_App');
      assert.equal(await env.conn.putClass(Plugin), 'Contoso_Plugin');
      assert.deepEqual(await env.conn.getClass('Contoso_Part'), Part.definition);
      assert.deepEqual(await env.conn.getClass('Contoso_App'), App.definition);
      assert.deepEqual(await env.conn.getClass('Contoso_Plugin'), Plugin.definition);
    }));

    it('putInstance(schema, values) → getObject(path, { schema }) reads every value back typed', inEnv(backend, async (env) => {
      await env.conn.putClass(Part);
      await env.conn.putClass(App);
      const seen = new Date(Date.UTC(2024, 4, 6, 7, 8, 9, 10));
      const path = await env.conn.putInstance(App, {
        Name: 'x',
        Seen: seen,
        Up: CimInterval.parse('00000002030405.000006:000'),
        Tags: ['a', 'b'],
        Owner: 'Contoso_App.Name="y"',
        Part: { __CLASS: 'Contoso_Part', P: 7 },
        Ratio: 0.25,
        Letter: 'Q',
      });
      assert.equal(path, 'Contoso_App.Name="x"');
      const obj: ObjectOf<typeof App> = await env.conn.getObject(path, { schema: App });
      // The types say what comes back; the values must match them.
      const size: bigint | null = obj.Size;
      const level: number = obj.Level;
      const when: CimDateTime | null = obj.Seen;
      assert.equal(size, 5n);
      assert.equal(level, 1);
      assert.ok(when instanceof CimDateTime);
      assert.equal(when.toString(), '20240506070809.010000+000');
      assert.ok(obj.Up instanceof CimInterval);
      assert.equal(obj.Up.toString(), '00000002030405.000006:000');
      assert.deepEqual(obj.Tags, ['a', 'b']);
      assert.equal(obj.Owner, 'Contoso_App.Name="y"');
      assert.deepEqual(obj.Part, { __CLASS: 'Contoso_Part', P: 7, Label: null });
      assert.equal(obj.Ratio, 0.25);
      assert.equal(obj.Letter, 'Q');
      assert.equal(obj.Enabled, true);
      assert.equal(obj.__CLASS, 'Contoso_App');
      assert.equal(obj.__GENUS, 2);
      assert.equal(obj.__RELPATH, path);
      assert.deepEqual(Object.keys(userProps(obj)).sort(), Object.keys(App.properties).sort());
    }));

    it('a derived schema carries the inherited properties; enumerateInstances(schema) is typed too', inEnv(backend, async (env) => {
      await env.conn.putClass(Part);
      await env.conn.putClass(App);
      await env.conn.putClass(Plugin);
      assert.equal(await env.conn.putInstance(Plugin, { Name: 'p', Host: 'h', Order: -2, Size: 9n }), 'Contoso_Plugin.Name="p"');
      const plugin = await env.conn.getObject('Contoso_Plugin.Name="p"', { schema: Plugin });
      const order: number | null = plugin.Order;
      assert.equal(order, -2);
      assert.equal(plugin.Size, 9n);
      assert.equal(plugin.Host, 'h');
      assert.equal(plugin.Level, 1);
      assert.deepEqual(plugin.__DERIVATION, ['Contoso_App']);
      await env.conn.putInstance(App, { Name: 'a' });
      const all = await collect(env.conn.enumerateInstances(App));
      assert.deepEqual(all.map((o) => o.__RELPATH).sort(), ['Contoso_App.Name="a"', 'Contoso_Plugin.Name="p"']);
      const names: string[] = all.map((o) => o.Name);
      assert.deepEqual(names.sort(), ['a', 'p']);
    }));

    it('schema items go through putMany', inEnv(backend, async (env) => {
      await env.conn.putClass(Part);
      await env.conn.putClass(App);
      const results = await collect(env.conn.putMany([App.item({ Name: 'm1' }), App.item({ Name: 'm2', Size: '18446744073709551615' })], { ordered: true }));
      assert.deepEqual(results, [
        { index: 0, path: 'Contoso_App.Name="m1"' },
        { index: 1, path: 'Contoso_App.Name="m2"' },
      ]);
      assert.equal((await env.conn.getObject('Contoso_App.Name="m2"', { schema: App })).Size, 18446744073709551615n);
    }));

    it('singleton and abstract schemas behave as their qualifiers say', inEnv(backend, async (env) => {
      await env.conn.putClass(Settings);
      assert.deepEqual(await env.conn.getClass('Contoso_Settings'), Settings.definition);
      assert.equal(await env.conn.putInstance(Settings, { Level: 2 }), 'Contoso_Settings=@');
      const s = await env.conn.getObject('Contoso_Settings=@', { schema: Settings });
      assert.equal(s.Level, 2);
      assert.equal(s.Mode, 'auto');
      await env.conn.putClass(Shape);
      await rejectsWith(env.conn.putInstance(Shape, { Id: 1 }), { code: 'WBEM_E_INVALID_OPERATION' });
    }));

    it('the types reject what the server would reject (compile-time checks)', () => {
      // Never run: tsc fails the build if any of these lines compiles.
      const typeOnly = (conn: import('../../lib/index').Connection): void => {
        // @ts-expect-error misspelled property
        void conn.putInstance(App, { Nmae: 'x' });
        // @ts-expect-error the key is required
        void conn.putInstance(App, { Size: 1n });
        // @ts-expect-error a key cannot be null
        void conn.putInstance(App, { Name: null });
        // @ts-expect-error wrong value type
        void conn.putInstance(App, { Name: 'x', Tags: 'a' });
        // @ts-expect-error Level is Not_Null
        void conn.putInstance(App, { Name: 'x', Level: null });
      };
      assert.equal(typeof typeOnly, 'function');
    });
  });
}
