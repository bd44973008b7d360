// ClassDefinition (the public, plain-object form) <-> NativeClassSpec (what the
// native side takes and returns). putClass and getClass are not hot paths, so
// the shape work happens here in TypeScript, where it is easy to read.
import type {
  NativeClassSpec,
  NativeMethod,
  NativeParameter,
  NativeProperty,
  NativeQualifier,
  NativeValue,
} from '../binding';
import { WbemError } from './errors';
import { bitsToFlavor, cimFlagArray, cimTypeCodes, cimTypeName, flavorToBits } from './flags';
import type {
  CimTypeName,
  CimValue,
  ClassDefinition,
  MethodDefinition,
  ParameterDefinition,
  PropertyDefinition,
  QualifierScalar,
  QualifierValue,
  Qualifiers,
} from './types';

function invalid(message: string, property?: string): WbemError {
  return WbemError.fromStatus('WBEM_E_INVALID_PARAMETER', property === undefined ? { message } : { message, property });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeCode(type: unknown, array: unknown, where: string): number {
  if (typeof type !== 'string' || !Object.hasOwn(cimTypeCodes, type)) {
    throw WbemError.fromStatus('WBEM_E_INVALID_PROPERTY_TYPE', {
      message: `${where}: unknown CIM type ${JSON.stringify(type)}`,
      property: where,
    });
  }
  return cimTypeCodes[type as CimTypeName] | (array === true ? cimFlagArray : 0);
}

function qualifiersToNative(qualifiers: Qualifiers | undefined, where: string): NativeQualifier[] {
  if (qualifiers === undefined) return [];
  if (!isPlainObject(qualifiers)) throw invalid(`${where}: qualifiers must be an object`);
  const out: NativeQualifier[] = [];
  for (const [name, q] of Object.entries(qualifiers)) {
    if (isPlainObject(q) && 'value' in q) {
      out.push({ name, value: q.value as NativeValue, flavor: flavorToBits(q.flavor) });
    } else {
      out.push({ name, value: q as NativeValue, flavor: 0 });
    }
  }
  return out;
}

function qualifiersFromNative(list: readonly NativeQualifier[]): Qualifiers | undefined {
  let out: Qualifiers | undefined;
  for (const q of list) {
    if (q.propagated === true) continue;
    const value = q.value as QualifierScalar | QualifierScalar[];
    const flavor = bitsToFlavor(q.flavor);
    (out ??= {})[q.name] = Object.keys(flavor).length === 0 ? value : ({ value, flavor } as QualifierValue);
  }
  return out;
}

function propertyToNative(name: string, p: PropertyDefinition): NativeProperty {
  if (!isPlainObject(p as unknown)) throw invalid(`property '${name}' must be an object`, name);
  const hasDefault = Object.hasOwn(p, 'default') && p.default !== undefined;
  return {
    name,
    type: typeCode(p.type, p.array, name),
    key: p.key === true,
    refClass: p.refClass ?? '',
    objectClass: p.objectClass ?? '',
    hasDefault,
    defaultValue: hasDefault ? (p.default as NativeValue) : null,
    qualifiers: qualifiersToNative(p.qualifiers, name),
  };
}

function parameterToNative(
  name: string,
  p: ParameterDefinition & { in?: boolean; out?: boolean },
): NativeParameter {
  if (!isPlainObject(p as unknown)) throw invalid(`parameter '${name}' must be an object`);
  const out = p.out === true;
  return {
    name,
    type: typeCode(p.type, p.array, name),
    in: p.in ?? !out,
    out,
    refClass: p.refClass ?? '',
    objectClass: p.objectClass ?? '',
    qualifiers: qualifiersToNative(p.qualifiers, name),
  };
}

function methodToNative(name: string, m: MethodDefinition): NativeMethod {
  if (!isPlainObject(m as unknown)) throw invalid(`method '${name}' must be an object`);
  return {
    name,
    returnType: m.returnType === undefined ? 0 : typeCode(m.returnType, false, `${name} return value`),
    parameters: Object.entries(m.parameters ?? {}).map(([n, p]) => parameterToNative(n, p)),
    qualifiers: qualifiersToNative(m.qualifiers, name),
  };
}

/** Validates a ClassDefinition's shape and converts it for the native side. */
export function classToNative(def: ClassDefinition): NativeClassSpec {
  if (!isPlainObject(def as unknown)) throw invalid('a class definition must be an object');
  if (typeof def.name !== 'string' || def.name === '') throw invalid('a class definition needs a name');
  if (def.superclass !== undefined && typeof def.superclass !== 'string') {
    throw invalid('superclass must be a class name');
  }
  if (!isPlainObject(def.properties)) throw invalid('a class definition needs a properties object');
  return {
    name: def.name,
    superclass: def.superclass ?? '',
    qualifiers: qualifiersToNative(def.qualifiers, def.name),
    properties: Object.entries(def.properties).map(([n, p]) => propertyToNative(n, p)),
    methods: Object.entries(def.methods ?? {}).map(([n, m]) => methodToNative(n, m)),
  };
}

function typeOf(code: number): { type: CimTypeName; array: boolean } {
  const type = cimTypeName(code & ~cimFlagArray);
  if (type === undefined) throw invalid(`the server returned an unknown CIM type ${code}`);
  return { type, array: (code & cimFlagArray) !== 0 };
}

/** The ClassDefinition of a class read back (only what it declares or overrides). */
export function classFromNative(spec: NativeClassSpec): ClassDefinition {
  const def: ClassDefinition = { name: spec.name, properties: {} };
  if (spec.superclass !== '') def.superclass = spec.superclass;
  const qualifiers = qualifiersFromNative(spec.qualifiers);
  if (qualifiers) def.qualifiers = qualifiers;
  for (const p of spec.properties) {
    const { type, array } = typeOf(p.type);
    const prop: PropertyDefinition = { type };
    if (array) prop.array = true;
    if (p.key) prop.key = true;
    if (p.refClass !== '') prop.refClass = p.refClass;
    if (p.objectClass !== '') prop.objectClass = p.objectClass;
    if (p.hasDefault) prop.default = p.defaultValue as CimValue;
    const q = qualifiersFromNative(p.qualifiers);
    if (q) prop.qualifiers = q;
    def.properties[p.name] = prop;
  }
  if (spec.methods.length > 0) {
    def.methods = {};
    for (const m of spec.methods) {
      const method: MethodDefinition = {};
      if (m.returnType !== 0) method.returnType = typeOf(m.returnType).type;
      if (m.parameters.length > 0) {
        method.parameters = {};
        for (const p of m.parameters) {
          const { type, array } = typeOf(p.type);
          const param: ParameterDefinition & { in?: boolean; out?: boolean } = { type };
          if (array) param.array = true;
          if (p.refClass !== '') param.refClass = p.refClass;
          if (p.objectClass !== '') param.objectClass = p.objectClass;
          if (p.in) param.in = true;
          if (p.out) param.out = true;
          const q = qualifiersFromNative(p.qualifiers);
          if (q) param.qualifiers = q;
          method.parameters[p.name] = param;
        }
      }
      const q = qualifiersFromNative(m.qualifiers);
      if (q) method.qualifiers = q;
      def.methods[m.name] = method;
    }
  }
  return def;
}
