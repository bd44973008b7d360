// Valid usages of the typed schemas: this file must compile without errors.
import { CimDateTime, CimInterval } from '../../lib/datetime';
import { cim, defineClass, type ClassSchema, type InstanceOf, type ObjectOf } from '../../lib/schema';
import type { ClassDefinition, InstanceProperties } from '../../lib/types';

// The shape of the connection's overload (lib/connection.ts accepts a schema where it accepts a class name).
declare function putInstance<S extends ClassSchema>(schema: S, props: InstanceOf<S>): Promise<string>;
declare function getObject<S extends ClassSchema>(schema: S, path: string): Promise<ObjectOf<S>>;
declare function putClass(definition: ClassDefinition): Promise<string>;

export const App = defineClass(
  'Contoso_App',
  {
    Name: cim.string().key(),
    Size: cim.uint64(),
    Seen: cim.datetime(),
    Uptime: cim.interval(),
    Tags: cim.string().array(),
    Ratio: cim.real64().default(0.5),
    Code: cim.char16(),
    Owner: cim.reference('Contoso_User'),
    Flags: cim.uint32().notNull().default(0),
    Level: cim.uint8().notNull(),
  },
  { qualifiers: { Description: 'apps' } },
);

export async function valid(): Promise<void> {
  await putClass(App.definition);
  await putInstance(App, { Name: 'x', Level: 1 });
  await putInstance(App, {
    Name: 'x',
    Size: 2n ** 60n,
    Seen: new Date(),
    Uptime: CimInterval.fromMilliseconds(1000),
    Tags: ['a', 'b'],
    Ratio: 1,
    Code: 'c',
    Owner: 'Contoso_User.Id=1',
    Flags: 7,
    Level: 2,
  });
  await putInstance(App, { Name: 'x', Level: 1, Size: 5, Seen: CimDateTime.parse('20240131235959.000000+060') });
  await putInstance(App, { Name: 'x', Level: 1, Size: '18446744073709551615', Seen: '20240131235959.000000+060' });
  await putInstance(App, { Name: 'x', Level: 1, Size: null, Seen: null, Tags: null, Code: 65 });

  const obj = await getObject(App, 'Contoso_App.Name="x"');
  const size: bigint | null = obj.Size;
  const name: string = obj.Name;
  const level: number = obj.Level;
  const seen: CimDateTime | null = obj.Seen;
  const uptime: CimInterval | null = obj.Uptime;
  const tags: string[] | null = obj.Tags;
  const code: string | null = obj.Code;
  const cls: string = obj.__CLASS;
  const path: string | null = obj.__PATH;
  void [size, name, level, seen, uptime, tags, code, cls, path];

  // Input shapes can be passed where plain InstanceProperties are expected.
  const row: InstanceOf<typeof App> = { Name: 'y', Level: 3 };
  const plain: InstanceProperties = row;
  void plain;
  const item = App.item({ Name: 'z', Level: 0 });
  const className: string = item.className;
  void className;
}

// Inheritance: the subclass' instance type includes the superclass' properties and keys.
export const Base = defineClass('Contoso_Base', { Id: cim.uint32().key(), Note: cim.string() }, { abstract: true });
export const Derived = defineClass('Contoso_Derived', { Extra: cim.sint64().array() }, { superclass: Base });
export const Override = defineClass('Contoso_Override', { Note: cim.string().notNull() }, { superclass: Base });

export async function inheritance(): Promise<void> {
  await putInstance(Derived, { Id: 1, Note: 'n', Extra: [1n, 2, '3'] });
  await putInstance(Override, { Id: 1, Note: 'required now' });
  const o = await getObject(Derived, 'Contoso_Derived.Id=1');
  const id: number = o.Id;
  const extra: bigint[] | null = o.Extra;
  void [id, extra];
  // A superclass named by a string brings no types.
  const Loose = defineClass('Contoso_Loose', { K: cim.string().key() }, { superclass: 'Contoso_Base' });
  await putInstance(Loose, { K: 'k' });
}

// Embedded objects typed by a schema.
export const Holder = defineClass('Contoso_Holder', {
  Id: cim.string().key(),
  Anything: cim.object(),
  Named: cim.object('Contoso_Base'),
  Typed: cim.object(Base),
  Many: cim.object(Base).array(),
});

export async function embedded(): Promise<void> {
  await putInstance(Holder, {
    Id: 'h',
    Anything: { __CLASS: 'X', A: 1, B: [true] },
    Named: { __CLASS: 'Contoso_Base' },
    Typed: { __CLASS: 'Contoso_Derived', Id: 4, Note: null },
    Many: [{ __CLASS: 'Contoso_Base', Id: 1 }],
  });
  const h = await getObject(Holder, 'Contoso_Holder.Id="h"');
  const typedId: number | undefined = h.Typed?.Id;
  void typedId;
}
