// Usages that MUST NOT compile. Each error is expected by the @ts-expect-error above it: if one of
// these lines starts compiling, tsc reports the unused directive and test/types.test.ts fails.
import { cim, defineClass, type ClassSchema, type InstanceOf, type ObjectOf } from '../../lib/schema';

declare function putInstance<S extends ClassSchema>(schema: S, props: InstanceOf<S>): Promise<string>;
declare function getObject<S extends ClassSchema>(schema: S, path: string): Promise<ObjectOf<S>>;

const App = defineClass('Contoso_App', {
  Name: cim.string().key(),
  Size: cim.uint64(),
  Count: cim.uint32(),
  Seen: cim.datetime(),
  Uptime: cim.interval(),
  Tags: cim.string().array(),
  Enabled: cim.boolean(),
  Level: cim.uint8().notNull(),
  Flags: cim.uint32().notNull().default(0),
});
const Base = defineClass('Contoso_Base', { Id: cim.uint32().key() });
const Derived = defineClass('Contoso_Derived', { Extra: cim.string() }, { superclass: Base });
const Holder = defineClass('Contoso_Holder', { Id: cim.string().key(), Typed: cim.object(Base) });

export async function errors(): Promise<void> {
  // @ts-expect-error misspelled property name
  await putInstance(App, { Name: 'x', Level: 1, Nmae: 'y' });
  // @ts-expect-error key property missing
  await putInstance(App, { Level: 1 });
  // @ts-expect-error Not_Null property without a default missing
  await putInstance(App, { Name: 'x' });
  // @ts-expect-error key property null
  await putInstance(App, { Name: null, Level: 1 });
  // @ts-expect-error Not_Null property null
  await putInstance(App, { Name: 'x', Level: null });
  // @ts-expect-error Not_Null property with a default null (may be omitted, not null)
  await putInstance(App, { Name: 'x', Level: 1, Flags: null });
  // @ts-expect-error string into uint32
  await putInstance(App, { Name: 'x', Level: 1, Count: '5' });
  // @ts-expect-error bigint into uint32
  await putInstance(App, { Name: 'x', Level: 1, Count: 5n });
  // @ts-expect-error boolean into uint64
  await putInstance(App, { Name: 'x', Level: 1, Size: true });
  // @ts-expect-error number into string
  await putInstance(App, { Name: 1, Level: 1 });
  // @ts-expect-error number into datetime
  await putInstance(App, { Name: 'x', Level: 1, Seen: 1700000000000 });
  // @ts-expect-error Date into interval
  await putInstance(App, { Name: 'x', Level: 1, Uptime: new Date() });
  // @ts-expect-error scalar into array
  await putInstance(App, { Name: 'x', Level: 1, Tags: 'a' });
  // @ts-expect-error array into scalar
  await putInstance(App, { Name: 'x', Level: 1, Enabled: [true] });
  // @ts-expect-error wrong element type
  await putInstance(App, { Name: 'x', Level: 1, Tags: ['a', 2] });
  // @ts-expect-error inherited key missing in a subclass instance
  await putInstance(Derived, { Extra: 'e' });
  // @ts-expect-error inherited property of the wrong type
  await putInstance(Derived, { Id: 'one' });
  // @ts-expect-error embedded object of a schema: wrong property type
  await putInstance(Holder, { Id: 'h', Typed: { __CLASS: 'Contoso_Base', Id: 'one' } });
  // @ts-expect-error embedded object without __CLASS
  await putInstance(Holder, { Id: 'h', Typed: { Id: 1 } });

  // @ts-expect-error item() checks like putInstance
  App.item({ Name: 'x', Level: 1, Bogus: 1 });
  // @ts-expect-error item() needs the keys too
  App.item({ Level: 1 });

  const obj = await getObject(App, 'Contoso_App.Name="x"');
  // @ts-expect-error uint64 reads back as bigint (or null), not number
  const n: number = obj.Size;
  // @ts-expect-error a nullable property may read back as null
  const s: bigint = obj.Size;
  // @ts-expect-error no such property
  void obj.Nope;
  void [n, s];
}

export function builders(): void {
  // @ts-expect-error default of the wrong type
  cim.uint32().default('5');
  // @ts-expect-error scalar default on an array property
  cim.string().array().default('a');
  // @ts-expect-error array() twice
  cim.string().array().array();
  // @ts-expect-error array() after default()
  cim.string().default('a').array();
  // @ts-expect-error qualifier values are boolean, number or string
  cim.string().qualifier('Description', new Date());
  // @ts-expect-error a reference target is a class name or a schema
  cim.reference(5);
  // @ts-expect-error a property map holds builders only
  defineClass('Contoso_Bad', { Name: 'string' });
  // @ts-expect-error the definition is a ClassDefinition, not a builder map
  App.definition.properties.Name.key = 'yes';
}
