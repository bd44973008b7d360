import type { CimDateTime, CimInterval } from './datetime';
import { WbemError } from './errors';
import type {
  CimTypeName,
  ClassDefinition,
  CimValue,
  EmbeddedObject,
  MethodDefinition,
  PropertyDefinition,
  QualifierFlavor,
  QualifierScalar,
  QualifierValue,
  Qualifiers,
  SystemProperties,
} from './types';

// Typed class schemas: describe a class once, get the ClassDefinition for putClass and the types
// under which putInstance checks property names and value types at compile time.
//
//   const App = defineClass('Contoso_App', { Name: cim.string().key(), Size: cim.uint64() });
//   await conn.putClass(App.definition);
//   await conn.putInstance(App, { Name: 'x', Size: 5n });   // { Nmae: 'x' } does not compile

declare const meta: unique symbol;

/** What the type system knows about one property builder. */
interface PropertyMeta {
  in: unknown;
  out: unknown;
  array: boolean;
  key: boolean;
  notNull: boolean;
  hasDefault: boolean;
}

interface Spec {
  readonly type: CimTypeName;
  readonly array: boolean;
  readonly key: boolean;
  readonly notNull: boolean;
  readonly refClass: string | undefined;
  readonly objectClass: string | undefined;
  readonly hasDefault: boolean;
  readonly default: CimValue | undefined;
  /** [name, value, flavor] in the order they were added; a later one replaces an earlier one. */
  readonly qualifiers: ReadonlyArray<readonly [string, QualifierScalar | QualifierScalar[], QualifierFlavor | undefined]>;
}

function invalid(message: string): WbemError {
  return WbemError.fromStatus('WBEM_E_INVALID_PARAMETER', { message });
}

function copyValue<T>(value: T): T {
  // Dates are copied so a later mutation of the caller's Date does not change the schema; other
  // scalars (CimDateTime, CimInterval, bigint, …) are immutable.
  if (Array.isArray(value)) return value.map(copyValue) as T;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = copyValue(v);
    return out as T;
  }
  return value;
}

function checkQualifierValue(name: string, value: unknown): void {
  const ok = (v: unknown): boolean => typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string';
  if (!(ok(value) || (Array.isArray(value) && value.every(ok)))) {
    throw invalid(`qualifier '${name}' must be a boolean, number or string, or an array of one of these`);
  }
}

/**
 * An immutable property builder: every method returns a new builder. The type parameters carry
 * the JS input type, the JS output type and the modifiers; they exist only for the compiler.
 */
export class CimProperty<
  In,
  Out,
  IsArray extends boolean = false,
  IsKey extends boolean = false,
  NotNull extends boolean = false,
  HasDefault extends boolean = false,
> {
  declare readonly [meta]: {
    in: In;
    out: Out;
    array: IsArray;
    key: IsKey;
    notNull: NotNull;
    hasDefault: HasDefault;
  };
  readonly #spec: Spec;

  /** Use the `cim.*()` factories. */
  constructor(spec: Spec) {
    this.#spec = spec;
  }

  #with(change: Partial<Spec>): never {
    return new CimProperty({ ...this.#spec, ...change }) as never;
  }

  /** An array of this type (`string[]`). Call it before `.default()`. */
  array(this: CimProperty<In, Out, false, IsKey, NotNull, false>): CimProperty<In[], Out[], true, IsKey, NotNull, false> {
    if (this.#spec.array) throw invalid('array() called twice');
    if (this.#spec.hasDefault) throw invalid('array() must come before default()');
    return this.#with({ array: true });
  }

  /** A key property: required and never null in an instance. */
  key(): CimProperty<In, Out, IsArray, true, NotNull, HasDefault> {
    return this.#with({ key: true });
  }

  /** Adds the `Not_Null` qualifier: the value may not be null (required unless there is a default). */
  notNull(): CimProperty<In, Out, IsArray, IsKey, true, HasDefault> {
    return this.#with({ notNull: true });
  }

  /** The class default, taken by instances that omit the property. */
  default(value: In): CimProperty<In, Out, IsArray, IsKey, NotNull, true> {
    if (value === undefined) throw invalid('default() needs a value (null for NULL)');
    if (this.#spec.array && value !== null && !Array.isArray(value)) throw invalid('the default of an array property must be an array');
    return this.#with({ hasDefault: true, default: copyValue(value as CimValue) });
  }

  /** Adds a property qualifier, e.g. `.qualifier('Description', 'Size in bytes', { amended: true })`. */
  qualifier(
    name: string,
    value: QualifierScalar | QualifierScalar[],
    flavor?: QualifierFlavor,
  ): CimProperty<In, Out, IsArray, IsKey, NotNull, HasDefault> {
    if (typeof name !== 'string' || name === '') throw invalid('qualifier name must be a non-empty string');
    checkQualifierValue(name, value);
    const rest = this.#spec.qualifiers.filter(([n]) => n.toLowerCase() !== name.toLowerCase());
    return this.#with({ qualifiers: [...rest, [name, copyValue(value), flavor === undefined ? undefined : { ...flavor }]] });
  }

  /** The CIM type name. */
  get type(): CimTypeName {
    return this.#spec.type;
  }

  get isKey(): boolean {
    return this.#spec.key;
  }

  get isArray(): boolean {
    return this.#spec.array;
  }

  /** A fresh PropertyDefinition (as `ClassDefinition.properties[name]`). */
  get definition(): PropertyDefinition {
    const s = this.#spec;
    const def: PropertyDefinition = { type: s.type };
    if (s.array) def.array = true;
    if (s.key) def.key = true;
    if (s.refClass !== undefined) def.refClass = s.refClass;
    if (s.objectClass !== undefined) def.objectClass = s.objectClass;
    if (s.hasDefault) def.default = copyValue(s.default as CimValue);
    const qualifiers: Qualifiers = {};
    let any = false;
    if (s.notNull) {
      qualifiers.Not_Null = true;
      any = true;
    }
    for (const [name, value, flavor] of s.qualifiers) {
      for (const existing of Object.keys(qualifiers)) {
        if (existing.toLowerCase() === name.toLowerCase()) delete qualifiers[existing];
      }
      qualifiers[name] = flavor === undefined ? copyValue(value) : { value: copyValue(value), flavor: { ...flavor } };
      any = true;
    }
    if (any) def.qualifiers = qualifiers;
    return def;
  }
}

/** Any property builder. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyCimProperty = CimProperty<any, any, boolean, boolean, boolean, boolean>;

/** Property builders by property name. */
export type PropertyMap = { readonly [name: string]: AnyCimProperty };

function builder<In, Out>(type: CimTypeName, extra: Partial<Spec> = {}): CimProperty<In, Out> {
  return new CimProperty<In, Out>({
    type,
    array: false,
    key: false,
    notNull: false,
    refClass: undefined,
    objectClass: undefined,
    hasDefault: false,
    default: undefined,
    qualifiers: [],
    ...extra,
  });
}

function className(cls: ClassSchema | string | undefined, what: string): string | undefined {
  if (cls === undefined) return undefined;
  if (cls instanceof ClassSchema) return cls.name;
  if (typeof cls === 'string' && cls !== '') return cls;
  throw invalid(`${what} must be a class name or a ClassSchema`);
}

/** 64-bit integers: a bigint, a safe-integer number, or a decimal string. */
export type Int64Input = bigint | number | string;

/** Input shape of an embedded object of a schema's class (or of a subclass: `__CLASS` is free). */
export type EmbeddedInstanceOf<S extends ClassSchema> = { __CLASS: string } & InstanceOf<S>;
/** Output shape of an embedded object of a schema's class. */
export type EmbeddedObjectOf<S extends ClassSchema> = { __CLASS: string } & PropertiesOut<PropsOf<S>>;

/** Builders for every CIM type. */
export const cim = {
  sint8: () => builder<number, number>('sint8'),
  uint8: () => builder<number, number>('uint8'),
  sint16: () => builder<number, number>('sint16'),
  uint16: () => builder<number, number>('uint16'),
  sint32: () => builder<number, number>('sint32'),
  uint32: () => builder<number, number>('uint32'),
  sint64: () => builder<Int64Input, bigint>('sint64'),
  uint64: () => builder<Int64Input, bigint>('uint64'),
  real32: () => builder<number, number>('real32'),
  real64: () => builder<number, number>('real64'),
  boolean: () => builder<boolean, boolean>('boolean'),
  string: () => builder<string, string>('string'),
  /** One UTF-16 code unit, as a one-character string or its code. */
  char16: () => builder<string | number, string>('char16'),
  /** A point in time: a Date (written as UTC), a CimDateTime, or a DMTF string. */
  datetime: () => builder<Date | CimDateTime | string, CimDateTime>('datetime'),
  /** A datetime property with `SubType("interval")`. */
  interval: () =>
    builder<CimInterval | string, CimInterval>('datetime', { qualifiers: [['SubType', 'interval', undefined]] }),
  /** An object path; `refClass` makes it `ref:Class`. */
  reference: (refClass?: ClassSchema | string) =>
    builder<string, string>('reference', { refClass: className(refClass, 'refClass') }),
  /** An embedded object; with a schema its properties are type-checked too. */
  object: objectBuilder,
};

function objectBuilder(): CimProperty<EmbeddedObject, EmbeddedObject>;
function objectBuilder(objectClass: string): CimProperty<EmbeddedObject, EmbeddedObject>;
function objectBuilder<S extends ClassSchema>(objectClass: S): CimProperty<EmbeddedInstanceOf<S>, EmbeddedObjectOf<S>>;
function objectBuilder(objectClass?: ClassSchema | string): AnyCimProperty {
  return builder('object', { objectClass: className(objectClass, 'objectClass') });
}

export interface DefineClassOptions<B extends PropertyMap = PropertyMap> {
  /** The parent class; a ClassSchema also brings its properties into the instance types. */
  superclass?: ClassSchema<B> | string;
  qualifiers?: Qualifiers;
  /** Adds `Abstract: true` (no instances). */
  abstract?: boolean;
  /** Adds `Singleton: true` (one keyless instance, path `Class=@`). */
  singleton?: boolean;
  methods?: Record<string, MethodDefinition>;
}

type Meta<T> = T extends { readonly [meta]: infer M extends PropertyMeta } ? M : never;
type IsRequired<T> = Meta<T>['key'] extends true
  ? true
  : Meta<T>['notNull'] extends true
    ? Meta<T>['hasDefault'] extends true
      ? false
      : true
    : false;
type IsNullable<T> = Meta<T>['key'] extends true ? false : Meta<T>['notNull'] extends true ? false : true;
type Simplify<T> = { [K in keyof T]: T[K] } & {};

type PropertiesIn<P> = Simplify<
  { [K in keyof P as IsRequired<P[K]> extends true ? K : never]: Meta<P[K]>['in'] } & {
    [K in keyof P as IsRequired<P[K]> extends true ? never : K]?:
      | Meta<P[K]>['in']
      | (IsNullable<P[K]> extends true ? null : never);
  }
>;
type PropertiesOut<P> = Simplify<{
  [K in keyof P]: Meta<P[K]>['out'] | (IsNullable<P[K]> extends true ? null : never);
}>;
type Merge<B, P> = Simplify<Omit<B, keyof P> & P>;

/** The property builders of a schema (inherited ones included). */
export type PropsOf<S extends ClassSchema> = S extends ClassSchema<infer P> ? P : never;

/**
 * What putInstance takes for a schema: key properties (and Not_Null ones without a default) are
 * required and non-null; every other property is optional and may be null.
 */
export type InstanceOf<S extends ClassSchema> = PropertiesIn<PropsOf<S>>;

/** What getObject returns for an instance of the schema: every property plus the system properties. */
export type ObjectOf<S extends ClassSchema> = Simplify<SystemProperties & PropertiesOut<PropsOf<S>>>;

/** A putMany item for a schema. */
export interface SchemaItem<S extends ClassSchema> {
  className: string;
  properties: InstanceOf<S>;
}

/** A class described once: `.definition` for putClass, types for putInstance (see defineClass). */
export class ClassSchema<P extends PropertyMap = PropertyMap> {
  readonly name: string;
  readonly superclass: string | undefined;
  /** All property builders, inherited ones (from a superclass schema) included. */
  readonly properties: Readonly<P>;
  readonly #own: PropertyMap;
  readonly #qualifiers: Qualifiers | undefined;
  readonly #methods: Record<string, MethodDefinition> | undefined;

  /** Use defineClass(). */
  constructor(
    name: string,
    own: PropertyMap,
    inherited: PropertyMap,
    superclass: string | undefined,
    qualifiers: Qualifiers | undefined,
    methods: Record<string, MethodDefinition> | undefined,
  ) {
    this.name = name;
    this.superclass = superclass;
    this.#own = Object.freeze({ ...own });
    this.properties = Object.freeze({ ...inherited, ...own }) as Readonly<P>;
    this.#qualifiers = qualifiers;
    this.#methods = methods;
  }

  /** A fresh ClassDefinition with the properties this class defines itself. */
  get definition(): ClassDefinition {
    const def: ClassDefinition = { name: this.name, properties: {} };
    if (this.superclass !== undefined) def.superclass = this.superclass;
    if (this.#qualifiers !== undefined) def.qualifiers = copyValue(this.#qualifiers);
    for (const [name, prop] of Object.entries(this.#own)) def.properties[name] = prop.definition;
    if (this.#methods !== undefined) def.methods = copyValue(this.#methods);
    return def;
  }

  /** Names of the key properties, inherited ones included. */
  get keys(): string[] {
    return Object.entries(this.properties)
      .filter(([, p]) => p.isKey)
      .map(([n]) => n);
  }

  /** A type-checked putMany item: `conn.putMany(rows.map((r) => App.item(r)))`. */
  item(properties: InstanceOf<this>): SchemaItem<this> {
    return { className: this.name, properties };
  }

  get [Symbol.toStringTag](): string {
    return 'ClassSchema';
  }
}

/** True for a ClassSchema (as opposed to a class name or a ClassDefinition). */
export function isClassSchema(value: unknown): value is ClassSchema {
  return value instanceof ClassSchema;
}

/**
 * Describes a class: `defineClass('Contoso_App', { Name: cim.string().key(), Size: cim.uint64() },
 * { qualifiers: { Description: 'apps' } })`. A property of the same name as an inherited one
 * overrides it (in the types and in `definition.properties`).
 */
export function defineClass<P extends PropertyMap, B extends PropertyMap = {}>(
  name: string,
  properties: P,
  options: DefineClassOptions<B> = {},
): ClassSchema<Merge<B, P>> {
  if (typeof name !== 'string' || name === '') throw invalid('defineClass: the class name must be a non-empty string');
  if (typeof properties !== 'object' || properties === null) throw invalid(`defineClass('${name}'): properties must be an object`);
  for (const [prop, builderValue] of Object.entries(properties)) {
    if (!(builderValue instanceof CimProperty)) {
      throw invalid(`defineClass('${name}'): property '${prop}' must be built with cim.*()`);
    }
  }
  const { superclass, qualifiers, abstract, singleton, methods } = options;
  const inherited: PropertyMap = superclass instanceof ClassSchema ? superclass.properties : {};
  let quals: Qualifiers | undefined;
  if (qualifiers !== undefined) {
    for (const [q, v] of Object.entries(qualifiers)) {
      checkQualifierValue(q, typeof v === 'object' && v !== null && !Array.isArray(v) ? v.value : v);
    }
    quals = copyValue(qualifiers);
  }
  if (abstract === true) (quals ??= {}).Abstract = true;
  if (singleton === true) (quals ??= {}).Singleton = true;
  return new ClassSchema<Merge<B, P>>(
    name,
    properties,
    inherited,
    className(superclass, 'superclass'),
    quals,
    methods === undefined ? undefined : copyValue(methods),
  );
}

export type { QualifierValue };
