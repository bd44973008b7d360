// Checks a loaded MOF unit before anything is written, and turns it into the
// write plan: ClassDefinitions and instance property values in the public
// API's forms. Superclasses must exist (in the unit or in the target
// namespace), key and override rules hold, qualifiers match their
// declarations (when the unit declares qualifiers), every instance property
// exists and every value fits its type. All problems are collected; each
// names file:line:column.
import { CimDateTime, CimInterval } from '../datetime';
import type {
  CimTypeName,
  CimValue,
  ClassDefinition,
  EmbeddedObject,
  MethodDefinition,
  ParameterDefinition,
  PropertyDefinition,
  QualifierFlavor,
  QualifierScalar,
  QualifierValue,
  Qualifiers,
} from '../types';
import type {
  MofClass,
  MofInstance,
  MofItem,
  MofLocation,
  MofPragma,
  MofQualifier,
  MofQualifierDecl,
  MofValue,
} from './ast';
import { MofError, type MofDiagnostic, type SourceTexts } from './diagnostics';

/** Looks a class up in a namespace on the server: its definition, or null when it does not exist. */
export type ClassLookup = (namespace: string, className: string) => Promise<ClassDefinition | null>;

export interface CheckOptions {
  /** Reject qualifiers that no qualifier declaration of the unit declares, and Override of unknown elements. */
  strict?: boolean;
}

export interface PlannedClass {
  namespace: string;
  definition: ClassDefinition;
  mode: 'createOrUpdate' | 'createOnly' | 'updateOnly';
  update?: 'safe' | 'force';
  amended: boolean;
  /** 0 for classes whose dependencies are all outside the unit. */
  level: number;
  /** Keys (namespace|name, lower case) of the planned classes this one needs first. */
  dependsOn: string[];
  loc: MofLocation;
  segment: number;
}

export interface PlannedInstance {
  namespace: string;
  className: string;
  properties: Record<string, CimValue>;
  mode: 'createOrUpdate' | 'createOnly' | 'updateOnly';
  amended: boolean;
  alias?: string;
  /** The relative path computed from the key values (what references to its alias hold). */
  path: string | null;
  loc: MofLocation;
  segment: number;
  /** A `__NAMESPACE` instance: written before the classes of its segment. */
  createsNamespace: boolean;
}

export interface PlannedDelete {
  kind: 'class' | 'instance';
  namespace: string;
  target: string;
  fail: boolean;
  loc: MofLocation;
  segment: number;
}

export interface MofPlan {
  classes: PlannedClass[];
  instances: PlannedInstance[];
  deletes: PlannedDelete[];
  /** Instances only used as embedded values (an alias and no key): not written on their own. */
  valueOnly: number;
  segments: number;
  warnings: MofDiagnostic[];
}

const integerRanges: Record<string, [bigint, bigint]> = {
  sint8: [-128n, 127n],
  uint8: [0n, 255n],
  sint16: [-32768n, 32767n],
  uint16: [0n, 65535n],
  sint32: [-2147483648n, 2147483647n],
  uint32: [0n, 4294967295n],
  sint64: [-9223372036854775808n, 9223372036854775807n],
  uint64: [0n, 18446744073709551615n],
};

/** The flavor mofcomp gives a qualifier that no declaration describes: propagated, overridable. */
const wmiDefaultFlavor: Readonly<QualifierFlavor> = Object.freeze({ toInstance: true, toSubclass: true });

/** A property as seen in a class with everything it inherits. */
interface EffectiveProperty {
  name: string;
  type: CimTypeName;
  array: boolean;
  key: boolean;
  refClass?: string;
  objectClass?: string;
  qualifiers: Qualifiers;
  /** Where it was (last) declared. */
  origin: string;
}

interface PlanResult {
  definition: ClassDefinition;
  amended: boolean;
  parent: EffectiveClass | null;
}

interface EffectiveClass {
  name: string;
  namespace: string;
  superclass?: string;
  derivation: string[];
  properties: Map<string, EffectiveProperty>;
  methods: Map<string, { name: string; qualifiers: Qualifiers; origin: string }>;
  qualifiers: Qualifiers;
  singleton: boolean;
  abstract: boolean;
  fromUnit: MofClass | undefined;
}

function flavorOf(q: QualifierValue): QualifierFlavor {
  return typeof q === 'object' && q !== null && !Array.isArray(q) ? (q.flavor ?? {}) : {};
}

function valueOf(q: QualifierValue): QualifierScalar | QualifierScalar[] {
  return typeof q === 'object' && q !== null && !Array.isArray(q) ? q.value : q;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

const lower = (s: string): string => s.toLowerCase();
const nsKey = (ns: string, name: string): string => `${lower(ns)}|${lower(name)}`;

/** Quotes a key value for an object path the way WMI writes __RELPATH. */
function pathValue(v: CimValue): string {
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  return `"${String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export class MofChecker {
  readonly #texts: SourceTexts;
  readonly #lookup: ClassLookup;
  readonly #strict: boolean;
  readonly #errors: MofDiagnostic[] = [];
  readonly #warnings: MofDiagnostic[] = [];
  readonly #decls = new Map<string, MofQualifierDecl>();
  readonly #unitClasses = new Map<string, MofClass>();
  readonly #effective = new Map<string, Promise<EffectiveClass | null>>();
  readonly #aliases = new Map<string, { item: MofInstance | MofClass; loc: MofLocation }>();
  readonly #instanceValues = new Map<MofInstance, Record<string, CimValue> | null>();
  readonly #converting = new Set<MofInstance>();
  /** Namespaces created by `__NAMESPACE` instances of the unit (lower case). */
  readonly #createdNamespaces = new Set<string>();
  /** Classes of the unit whose superclass chain loops. */
  readonly #cyclic = new Set<MofClass>();

  constructor(texts: SourceTexts, lookup: ClassLookup, options: CheckOptions = {}) {
    this.#texts = texts;
    this.#lookup = lookup;
    this.#strict = options.strict === true;
  }

  #error(loc: MofLocation, message: string): void {
    this.#errors.push(this.#texts.diagnostic(loc, message));
  }

  #warn(loc: MofLocation, message: string): void {
    this.#warnings.push(this.#texts.diagnostic(loc, message));
  }

  // ---- qualifiers ---------------------------------------------------------

  #qualifierScalar(v: MofValue, q: MofQualifier): QualifierScalar | undefined {
    switch (v.kind) {
      case 'boolean':
        return v.value;
      case 'integer':
        return v.value >= BigInt(Number.MIN_SAFE_INTEGER) && v.value <= BigInt(Number.MAX_SAFE_INTEGER)
          ? Number(v.value)
          : v.value.toString();
      case 'real':
        return v.value;
      case 'string':
      case 'char16':
        return v.value;
      default:
        this.#error(v.loc, `qualifier '${q.name}' cannot hold ${v.kind === 'alias' ? 'an alias' : `a ${v.kind} value`}`);
        return undefined;
    }
  }

  #checkQualifierType(q: MofQualifier, decl: MofQualifierDecl): void {
    if (decl.type === undefined) return;
    const v = q.value ?? { kind: 'boolean' as const, value: true, loc: q.loc };
    if (v.kind === 'null') return;
    if (v.kind === 'array' && !decl.array) {
      this.#error(v.loc, `qualifier '${q.name}' is declared as a scalar ${decl.type} and cannot take an array`);
      return;
    }
    const items = v.kind === 'array' ? v.items : [v];
    for (const item of items) {
      const t = decl.type;
      const ok =
        item.kind === 'null' ||
        (t === 'boolean' && item.kind === 'boolean') ||
        ((t === 'string' || t === 'datetime') && item.kind === 'string') ||
        (t === 'char16' && (item.kind === 'char16' || item.kind === 'string')) ||
        (t in integerRanges && item.kind === 'integer') ||
        ((t === 'real32' || t === 'real64') && (item.kind === 'real' || item.kind === 'integer'));
      if (!ok) {
        this.#error(item.loc, `qualifier '${q.name}' is declared as ${t}${decl.array ? '[]' : ''}; this value does not fit`);
        return;
      }
      if (item.kind === 'integer' && t in integerRanges) {
        const [min, max] = integerRanges[t] as [bigint, bigint];
        if (item.value < min || item.value > max) {
          this.#error(item.loc, `value ${item.text} of qualifier '${q.name}' is out of range for ${t}`);
          return;
        }
      }
    }
  }

  /**
   * Converts a qualifier list for `scope`. Key/In/Out come back separately.
   * Scope and type are checked against the unit's declarations when it has any.
   */
  #qualifiers(
    list: MofQualifier[],
    scope: 'class' | 'association' | 'indication' | 'property' | 'reference' | 'method' | 'parameter' | 'instance',
  ): { qualifiers: Qualifiers; key: boolean; in?: boolean; out?: boolean; amended: boolean } {
    const out: Qualifiers = {};
    let key = false;
    let amended = false;
    let inFlag: boolean | undefined;
    let outFlag: boolean | undefined;
    const seen = new Set<string>();
    for (const q of list) {
      const lname = lower(q.name);
      if (seen.has(lname)) {
        this.#error(q.loc, `qualifier '${q.name}' appears twice in the same list`);
        continue;
      }
      seen.add(lname);
      const decl = this.#decls.get(lname);
      if (decl?.type !== undefined) {
        const scopes = decl.scopes;
        const okScope =
          scopes.length === 0 ||
          scopes.includes('any') ||
          scopes.includes(scope) ||
          (scope === 'association' && scopes.includes('class')) ||
          (scope === 'indication' && scopes.includes('class')) ||
          (scope === 'reference' && scopes.includes('property') && lname !== 'key') ||
          (scope === 'reference' && lname === 'key' && scopes.includes('property'));
        if (!okScope) {
          this.#error(q.loc, `qualifier '${q.name}' cannot be used on a ${scope} (declared with scope ${scopes.join(', ')})`);
          continue;
        }
        this.#checkQualifierType(q, decl);
      } else if (this.#strict && this.#decls.size >= 0 && !(decl && decl.type === undefined)) {
        this.#error(q.loc, `qualifier '${q.name}' is not declared (strict)`);
        continue;
      }
      // Value: none means TRUE.
      let value: QualifierScalar | QualifierScalar[] | undefined;
      if (q.value === undefined) value = true;
      else if (q.value.kind === 'null') value = undefined;
      else if (q.value.kind === 'array') {
        const items: QualifierScalar[] = [];
        for (const item of q.value.items) {
          const s = this.#qualifierScalar(item, q);
          if (s !== undefined) items.push(s);
        }
        value = items;
      } else value = this.#qualifierScalar(q.value, q);
      if (lname === 'key') {
        if (value !== true && value !== false) this.#error(q.loc, "qualifier 'Key' takes a boolean");
        key = value === true;
        continue;
      }
      if (scope === 'parameter' && (lname === 'in' || lname === 'out')) {
        const b = value === true;
        if (lname === 'in') inFlag = b;
        else outFlag = b;
        continue;
      }
      if (value === undefined) continue; // a NULL qualifier value stores nothing
      // Flavor: declared (or WMI's default), then the explicit ones in order.
      const flavor: QualifierFlavor = decl ? this.#declaredFlavor(decl) : { ...wmiDefaultFlavor };
      for (const f of q.flavors) applyFlavor(flavor, f);
      if (flavor.amended) amended = true;
      const clean: QualifierFlavor = {};
      if (flavor.toInstance) clean.toInstance = true;
      if (flavor.toSubclass) clean.toSubclass = true;
      if (flavor.disableOverride) clean.disableOverride = true;
      if (flavor.amended) clean.amended = true;
      out[q.name] = Object.keys(clean).length === 0 ? value : { value, flavor: clean };
    }
    const result: { qualifiers: Qualifiers; key: boolean; in?: boolean; out?: boolean; amended: boolean } = {
      qualifiers: out,
      key,
      amended,
    };
    if (inFlag !== undefined) result.in = inFlag;
    if (outFlag !== undefined) result.out = outFlag;
    return result;
  }

  #declaredFlavor(decl: MofQualifierDecl): QualifierFlavor {
    // A DMTF declaration starts from EnableOverride ToSubclass (DSP0004 defaults); a WMI
    // flavor-only declaration modifies mofcomp's default.
    const f: QualifierFlavor = decl.type === undefined ? { ...wmiDefaultFlavor } : { toSubclass: true };
    for (const fl of decl.flavors) applyFlavor(f, fl);
    return f;
  }

  // ---- classes ------------------------------------------------------------

  #findUnitClass(namespace: string, name: string): MofClass | undefined {
    return this.#unitClasses.get(nsKey(namespace, name));
  }

  /** The class with everything it inherits, from the unit or the server; null if unknown. */
  #effectiveClass(namespace: string, name: string): Promise<EffectiveClass | null> {
    const key = nsKey(namespace, name);
    let p = this.#effective.get(key);
    if (!p) {
      p = this.#buildEffective(namespace, name);
      this.#effective.set(key, p);
    }
    return p;
  }

  readonly #planned = new Map<MofClass, Promise<PlanResult | null>>();

  #planOnce(cls: MofClass): Promise<PlanResult | null> {
    let p = this.#planned.get(cls);
    if (!p) {
      p = this.#planClass(cls);
      this.#planned.set(cls, p);
    }
    return p;
  }

  /** Whether a class exists in the unit or on the server (without building it). */
  async #exists(namespace: string, name: string): Promise<boolean> {
    if (this.#findUnitClass(namespace, name)) return true;
    if (this.#effective.has(nsKey(namespace, name))) return (await this.#effectiveClass(namespace, name)) !== null;
    return (await this.#lookup(namespace, name)) !== null;
  }

  async #buildEffective(namespace: string, name: string): Promise<EffectiveClass | null> {
    const unit = this.#findUnitClass(namespace, name);
    let def: ClassDefinition;
    let parent: EffectiveClass | null = null;
    if (unit) {
      if (this.#cyclic.has(unit)) return null;
      const r = await this.#planOnce(unit);
      if (!r) return null;
      def = r.definition;
      parent = r.parent;
    } else {
      const found = await this.#lookup(namespace, name);
      if (!found) return null;
      def = found;
      if (def.superclass !== undefined) {
        parent = await this.#effectiveClass(namespace, def.superclass);
        if (!parent) return null;
      }
    }
    const eff: EffectiveClass = {
      name: def.name,
      namespace,
      derivation: parent ? [parent.name, ...parent.derivation] : [],
      properties: new Map(),
      methods: new Map(),
      qualifiers: {},
      singleton: false,
      abstract: false,
      fromUnit: unit,
    };
    if (parent) eff.superclass = parent.name;
    // Inherited members and propagated qualifiers.
    if (parent) {
      for (const [k, p] of parent.properties) eff.properties.set(k, { ...p, qualifiers: propagated(p.qualifiers) });
      for (const [k, m] of parent.methods) eff.methods.set(k, { ...m, qualifiers: propagated(m.qualifiers) });
      eff.qualifiers = propagated(parent.qualifiers);
      eff.singleton = parent.singleton;
    }
    {
      mergeQualifiers(eff.qualifiers, def.qualifiers);
      for (const [pname, p] of Object.entries(def.properties)) {
        const prev = eff.properties.get(lower(pname));
        const q = prev ? propagated(prev.qualifiers) : {};
        mergeQualifiers(q, p.qualifiers);
        const ep: EffectiveProperty = {
          name: pname,
          type: p.type,
          array: p.array === true,
          key: p.key === true || prev?.key === true,
          qualifiers: q,
          origin: def.name,
        };
        if (p.refClass !== undefined) ep.refClass = p.refClass;
        if (p.objectClass !== undefined) ep.objectClass = p.objectClass;
        eff.properties.set(lower(pname), ep);
      }
      for (const [mname, m] of Object.entries(def.methods ?? {})) {
        eff.methods.set(lower(mname), { name: mname, qualifiers: { ...(m.qualifiers ?? {}) }, origin: def.name });
      }
    }
    const qsingle = Object.entries(eff.qualifiers).find(([k]) => lower(k) === 'singleton');
    if (qsingle && valueOf(qsingle[1]) === true) eff.singleton = true;
    const qabs = Object.entries(def.qualifiers ?? {}).find(([k]) => lower(k) === 'abstract');
    eff.abstract = qabs !== undefined && valueOf(qabs[1]) === true;
    return eff;
  }

  /** Builds and checks the ClassDefinition of a class of the unit; records its effective view. */
  async #planClass(cls: MofClass): Promise<PlanResult | null> {
    const ns = cls.context.namespace;
    let parent: EffectiveClass | null = null;
    if (cls.superclass !== undefined) {
      parent = await this.#effectiveClass(ns, cls.superclass);
      if (!parent) {
        const superName = cls.superclass;
        const elsewhere = [...this.#unitClasses.values()].find((c) => lower(c.name) === lower(superName));
        const superUnit = this.#findUnitClass(ns, superName);
        if (!superUnit) {
          this.#error(
            cls.superLoc ?? cls.nameLoc,
            `superclass '${superName}' of class '${cls.name}' is not defined in this MOF or in namespace '${ns}'` +
              (elsewhere ? ` (it is defined for namespace '${elsewhere.context.namespace}')` : ''),
          );
        }
        return null;
      }
    }
    let amended = false;
    const isAssoc = cls.qualifiers.some((q) => lower(q.name) === 'association');
    const isIndication = cls.qualifiers.some((q) => lower(q.name) === 'indication');
    const cq = this.#qualifiers(cls.qualifiers, isAssoc ? 'association' : isIndication ? 'indication' : 'class');
    if (cq.key) this.#error(cls.loc, "'Key' applies to properties, not classes");
    amended ||= cq.amended;
    const def: ClassDefinition = { name: cls.name, properties: {} };
    if (cls.superclass !== undefined) def.superclass = parent ? parent.name : cls.superclass;
    if (Object.keys(cq.qualifiers).length > 0) def.qualifiers = cq.qualifiers;
    if (parent) this.#checkOverrides(parent.qualifiers, cq.qualifiers, cls.qualifiers, `class '${parent.name}'`);

    const parentHasKeys = parent !== null && [...parent.properties.values()].some((p) => p.key);
    const seen = new Map<string, MofLocation>();
    for (const p of cls.properties) {
      const lname = lower(p.name);
      if (seen.has(lname)) {
        this.#error(p.loc, `property '${p.name}' is declared twice in class '${cls.name}'`);
        continue;
      }
      seen.set(lname, p.loc);
      if (p.name.startsWith('_') || p.name.endsWith('_')) {
        this.#error(p.loc, `property name '${p.name}' cannot start or end with '_'`);
      }
      const isRef = p.type.type === 'reference';
      const pq = this.#qualifiers(p.qualifiers, isRef ? 'reference' : 'property');
      amended ||= pq.amended;
      const prop: PropertyDefinition = { type: p.type.type as CimTypeName };
      const embedded = this.#embeddedClass(p.qualifiers);
      if (prop.type === 'string' && embedded !== undefined) {
        prop.type = 'object';
        if (embedded !== '') prop.objectClass = embedded;
      }
      if (p.type.refClass !== undefined) prop.refClass = p.type.refClass;
      if (p.type.objectClass !== undefined) prop.objectClass = p.type.objectClass;
      if (p.array) prop.array = true;
      if (p.arraySize !== undefined) pq.qualifiers.MAX = p.arraySize;
      if (Object.keys(pq.qualifiers).length > 0) prop.qualifiers = pq.qualifiers;
      const inherited = parent?.properties.get(lname);
      if (inherited) {
        if (inherited.type !== prop.type || inherited.array !== (p.array === true)) {
          this.#error(
            p.type.loc,
            `property '${p.name}' is ${describeType(inherited)} in '${inherited.origin}'; '${cls.name}' cannot redefine it as ${describeType({ type: prop.type, array: p.array })}`,
          );
        }
        this.#checkOverrides(inherited.qualifiers, pq.qualifiers, p.qualifiers, `property '${inherited.origin}.${inherited.name}'`);
      } else if (this.#strict) {
        const ov = p.qualifiers.find((q) => lower(q.name) === 'override');
        if (ov) this.#error(ov.loc, `'${cls.name}.${p.name}' overrides nothing: no superclass defines '${p.name}'`);
      }
      if (pq.key) {
        prop.key = true;
        if (p.array) this.#error(p.loc, `key property '${p.name}' cannot be an array`);
        if (prop.type === 'real32' || prop.type === 'real64' || prop.type === 'object') {
          this.#error(p.loc, `key property '${p.name}' cannot be of type ${prop.type}`);
        }
        if (parentHasKeys && !inherited?.key) {
          this.#error(
            p.loc,
            `class '${cls.name}' cannot add key '${p.name}': superclass '${parent?.name}' already defines the keys`,
          );
        }
      } else if (inherited?.key) {
        // A redeclared key stays a key (Key is DisableOverride, ToSubclass).
        prop.key = true;
      }
      if (p.default !== undefined) {
        const d = this.#convert(p.default, prop.type, prop.array === true, `property '${p.name}'`, ns, prop);
        if (d !== undefined && d !== null) prop.default = d;
      }
      def.properties[p.name] = prop;
    }
    const seenMethods = new Set<string>();
    for (const m of cls.methods) {
      const lname = lower(m.name);
      if (seenMethods.has(lname) || seen.has(lname)) {
        this.#error(m.loc, `'${m.name}' is declared twice in class '${cls.name}'`);
        continue;
      }
      seenMethods.add(lname);
      const mq = this.#qualifiers(m.qualifiers, 'method');
      amended ||= mq.amended;
      const method: MethodDefinition = {};
      if (m.returnType.type !== 'void') {
        if (m.returnType.type === 'object' || m.returnType.type === 'reference') method.returnType = m.returnType.type;
        else method.returnType = m.returnType.type as CimTypeName;
      }
      if (Object.keys(mq.qualifiers).length > 0) method.qualifiers = mq.qualifiers;
      const inheritedMethod = parent?.methods.get(lname);
      if (inheritedMethod) {
        this.#checkOverrides(inheritedMethod.qualifiers, mq.qualifiers, m.qualifiers, `method '${inheritedMethod.origin}.${inheritedMethod.name}'`);
      } else if (this.#strict) {
        const ov = m.qualifiers.find((q) => lower(q.name) === 'override');
        if (ov) this.#error(ov.loc, `'${cls.name}.${m.name}' overrides nothing: no superclass defines '${m.name}'`);
      }
      const params: Record<string, ParameterDefinition & { in?: boolean; out?: boolean }> = {};
      const seenParams = new Set<string>();
      for (const prm of m.parameters) {
        if (seenParams.has(lower(prm.name))) {
          this.#error(prm.loc, `parameter '${prm.name}' is declared twice in method '${m.name}'`);
          continue;
        }
        seenParams.add(lower(prm.name));
        const pq = this.#qualifiers(prm.qualifiers, 'parameter');
        amended ||= pq.amended;
        const param: ParameterDefinition & { in?: boolean; out?: boolean } = { type: prm.type.type as CimTypeName };
        const embedded = this.#embeddedClass(prm.qualifiers);
        if (param.type === 'string' && embedded !== undefined) {
          param.type = 'object';
          if (embedded !== '') param.objectClass = embedded;
        }
        if (prm.type.refClass !== undefined) param.refClass = prm.type.refClass;
        if (prm.type.objectClass !== undefined) param.objectClass = prm.type.objectClass;
        if (prm.array) param.array = true;
        if (prm.arraySize !== undefined) pq.qualifiers.MAX = prm.arraySize;
        const isOut = pq.out === true;
        const isIn = pq.in ?? !isOut;
        if (isIn) param.in = true;
        if (isOut) param.out = true;
        if (Object.keys(pq.qualifiers).length > 0) param.qualifiers = pq.qualifiers;
        params[prm.name] = param;
      }
      if (Object.keys(params).length > 0) method.parameters = params;
      (def.methods ??= {})[m.name] = method;
    }
    // Embedded-object and reference classes: known somewhere?
    for (const [pname, prop] of Object.entries(def.properties)) {
      const src = cls.properties.find((x) => x.name === pname) as (typeof cls.properties)[number];
      const target = prop.objectClass ?? prop.refClass;
      if (target === undefined) continue;
      const known = await this.#exists(ns, target);
      if (!known && (prop.objectClass !== undefined || this.#strict)) {
        this.#error(
          src.type.loc,
          `${prop.objectClass !== undefined ? 'embedded-object' : 'reference'} class '${target}' of property '${pname}' is not defined in this MOF or in namespace '${ns}'`,
        );
      }
    }
    return { definition: def, amended, parent };
  }

  #embeddedClass(list: MofQualifier[]): string | undefined {
    for (const q of list) {
      const l = lower(q.name);
      if (l === 'embeddedinstance' && q.value?.kind === 'string') return q.value.value;
      if (l === 'embeddedobject' && (q.value === undefined || (q.value.kind === 'boolean' && q.value.value))) return '';
    }
    return undefined;
  }

  /** A qualifier the parent marks DisableOverride cannot get another value. */
  #checkOverrides(inherited: Qualifiers, own: Qualifiers, list: MofQualifier[], owner: string): void {
    for (const [name, q] of Object.entries(inherited)) {
      if (!flavorOf(q).disableOverride) continue;
      const mine = Object.entries(own).find(([k]) => lower(k) === lower(name));
      if (!mine) continue;
      if (!sameValue(valueOf(mine[1]), valueOf(q))) {
        const src = list.find((x) => lower(x.name) === lower(name));
        if (src) {
          this.#error(src.loc, `qualifier '${name}' of ${owner} is DisableOverride: it cannot be given another value`);
        }
      }
    }
  }

  // ---- values -------------------------------------------------------------

  /**
   * Converts a MOF value to the API's value for a property of `type`.
   * Returns undefined after reporting an error.
   */
  #convert(
    v: MofValue,
    type: CimTypeName,
    array: boolean,
    what: string,
    ns: string,
    prop?: { objectClass?: string; refClass?: string; qualifiers?: Qualifiers },
  ): CimValue | undefined {
    if (v.kind === 'null') return null;
    if (v.kind === 'array') {
      if (!array) {
        this.#error(v.loc, `${what} is not an array; it cannot take a list of values`);
        return undefined;
      }
      const out: CimValue[] = [];
      for (const item of v.items) {
        if (item.kind === 'array') {
          this.#error(item.loc, `${what}: arrays do not nest`);
          return undefined;
        }
        const c = this.#convert(item, type, false, what, ns, prop);
        if (c === undefined) return undefined;
        out.push(c);
      }
      return out;
    }
    if (array) {
      // mofcomp takes a single value for an array property as a one-element array.
      const c = this.#convert(v, type, false, what, ns, prop);
      return c === undefined ? undefined : [c];
    }
    const mismatch = (): undefined => {
      this.#error(v.loc, `${what} is ${type}; ${describeValue(v)} does not fit`);
      return undefined;
    };
    switch (type) {
      case 'sint8': case 'uint8': case 'sint16': case 'uint16': case 'sint32': case 'uint32': case 'sint64': case 'uint64': {
        if (v.kind !== 'integer') return mismatch();
        const [min, max] = integerRanges[type] as [bigint, bigint];
        let value = v.value;
        // Hex/binary/octal literals of a signed type may spell the two's-complement bits (0x8000000000000000).
        if (value > max && type.startsWith('s') && /^[+]?(0[xX]|0[0-7]|[01]+[bB])/.test(v.text)) {
          const bits = BigInt(type === 'sint8' ? 8 : type === 'sint16' ? 16 : type === 'sint32' ? 32 : 64);
          if (value < 1n << bits) value -= 1n << bits;
        }
        if (value < min || value > max) {
          this.#error(v.loc, `${what}: ${v.text} is out of range for ${type} (${min}..${max})`);
          return undefined;
        }
        return type === 'sint64' || type === 'uint64' ? value : Number(value);
      }
      case 'real32': case 'real64': {
        if (v.kind === 'real') return v.value;
        if (v.kind === 'integer') return Number(v.value);
        return mismatch();
      }
      case 'boolean':
        return v.kind === 'boolean' ? v.value : mismatch();
      case 'string':
        return v.kind === 'string' ? v.value : mismatch();
      case 'char16':
        if (v.kind === 'char16') return v.value;
        if (v.kind === 'string' && v.value.length === 1) return v.value;
        if (v.kind === 'integer' && v.value >= 0n && v.value <= 0xffffn) return String.fromCharCode(Number(v.value));
        return mismatch();
      case 'datetime': {
        if (v.kind !== 'string') return mismatch();
        const interval = /^\d{8}\d{6}\.\d{6}:000$/.test(v.value);
        try {
          if (interval) CimInterval.parse(v.value);
          else CimDateTime.parse(v.value);
        } catch (e) {
          this.#error(v.loc, `${what}: '${v.value}' is not a CIM datetime (${(e as Error).message})`);
          return undefined;
        }
        return v.value;
      }
      case 'reference': {
        if (v.kind === 'string') return v.value;
        if (v.kind === 'alias') {
          const target = this.#aliases.get(lower(v.name));
          if (!target) {
            this.#error(v.loc, `alias '$${v.name}' is not defined`);
            return undefined;
          }
          if (target.item.kind === 'class') return target.item.name;
          const path = this.#instancePath(target.item, v.loc);
          return path ?? undefined;
        }
        return mismatch();
      }
      case 'object': {
        if (v.kind === 'instance') {
          const obj = this.#embeddedValue(v.instance, v.loc, ns);
          return obj ?? undefined;
        }
        if (v.kind === 'alias') {
          const target = this.#aliases.get(lower(v.name));
          if (!target) {
            this.#error(v.loc, `alias '$${v.name}' is not defined`);
            return undefined;
          }
          if (target.item.kind === 'class') {
            this.#error(v.loc, `alias '$${v.name}' names a class; an embedded object needs an instance`);
            return undefined;
          }
          return this.#embeddedValue(target.item, v.loc, ns) ?? undefined;
        }
        return mismatch();
      }
      default:
        return mismatch();
    }
  }

  #embeddedValue(inst: MofInstance, at: MofLocation, _ns: string): EmbeddedObject | null {
    const values = this.#instanceValues.get(inst);
    if (values === undefined) {
      this.#error(at, `instance of '${inst.className}' is used before it could be converted`);
      return null;
    }
    if (values === null) return null;
    return { __CLASS: this.#classNames.get(inst) ?? inst.className, ...values };
  }

  readonly #classNames = new Map<MofInstance, string>();
  readonly #keyNames = new Map<MofInstance, string[] | 'singleton'>();

  #instancePath(inst: MofInstance, at: MofLocation, quiet = false): string | null {
    const values = this.#instanceValues.get(inst);
    const keys = this.#keyNames.get(inst);
    if (!values || keys === undefined) {
      if (values === undefined) this.#error(at, `the path of instance of '${inst.className}' is not known yet`);
      return null;
    }
    const cls = this.#classNames.get(inst) ?? inst.className;
    if (keys === 'singleton') return `${cls}=@`;
    if (keys.length === 0) {
      this.#error(at, `class '${cls}' has no key properties: a reference to this instance has no path`);
      return null;
    }
    const parts: string[] = [];
    for (const k of [...keys].sort((a, b) => (lower(a) < lower(b) ? -1 : lower(a) > lower(b) ? 1 : 0))) {
      const v = Object.entries(values).find(([n]) => lower(n) === lower(k))?.[1];
      if (v === undefined || v === null) {
        if (quiet) return null;
        this.#error(at, `key '${k}' of the instance of '${cls}' at ${inst.loc.file}:${inst.loc.line} has no value: it has no path`);
        return null;
      }
      parts.push(`${k}=${pathValue(v as CimValue)}`);
    }
    return `${cls}.${parts.join(',')}`;
  }

  /**
   * Converts the values of an instance (and, first, of the instances it needs
   * through aliases). Records the result for alias users.
   */
  async #convertInstance(inst: MofInstance): Promise<void> {
    if (this.#instanceValues.has(inst)) return;
    const ns = inst.context.namespace;
    const eff = await this.#effectiveClass(ns, inst.className);
    if (!eff) {
      this.#error(inst.classLoc, `class '${inst.className}' is not defined in this MOF or in namespace '${ns}'`);
      this.#instanceValues.set(inst, null);
      return;
    }
    if (this.#converting.has(inst)) {
      this.#error(inst.loc, `instance of '${inst.className}' refers to itself through its aliases`);
      return;
    }
    this.#converting.add(inst);
    // Convert the aliased instances this one uses first (values may embed them or name their path).
    const deps: MofInstance[] = [];
    const collect = (v: MofValue): void => {
      if (v.kind === 'alias') {
        const t = this.#aliases.get(lower(v.name));
        if (t && t.item.kind === 'instance') deps.push(t.item);
      } else if (v.kind === 'array') v.items.forEach(collect);
      else if (v.kind === 'instance') deps.push(v.instance);
    };
    inst.values.forEach((pv) => collect(pv.value));
    for (const d of deps) {
      if (this.#converting.has(d)) {
        this.#error(inst.loc, `instances refer to each other in a cycle through alias values`);
        this.#converting.delete(inst);
        this.#instanceValues.set(inst, null);
        return;
      }
      await this.#convertInstance(d);
    }
    this.#classNames.set(inst, eff.name);
    const keys = [...eff.properties.values()].filter((p) => p.key).map((p) => p.name);
    this.#keyNames.set(inst, eff.singleton && keys.length === 0 ? 'singleton' : keys);
    const iq = this.#qualifiers(inst.qualifiers, 'instance');
    if (Object.keys(iq.qualifiers).length > 0) {
      this.#warn(inst.loc, 'instance qualifiers are not written (the API puts property values only)');
    }
    const values: Record<string, CimValue> = {};
    let ok = true;
    const seen = new Set<string>();
    for (const pv of inst.values) {
      const p = eff.properties.get(lower(pv.name));
      if (!p) {
        this.#error(pv.loc, `class '${eff.name}' has no property '${pv.name}'`);
        ok = false;
        continue;
      }
      if (seen.has(lower(pv.name))) {
        this.#error(pv.loc, `property '${pv.name}' is set twice`);
        ok = false;
        continue;
      }
      seen.add(lower(pv.name));
      if (pv.qualifiers.length > 0) this.#qualifiers(pv.qualifiers, 'property');
      const c = this.#convert(pv.value, p.type, p.array, `property '${eff.name}.${p.name}'`, ns, p);
      if (c === undefined) {
        ok = false;
        continue;
      }
      values[p.name] = c as CimValue;
    }
    this.#converting.delete(inst);
    this.#instanceValues.set(inst, ok ? values : null);
  }

  // ---- the whole unit -----------------------------------------------------

  async check(items: readonly MofItem[]): Promise<MofPlan> {
    // Declarations and the unit's classes and aliases first (forward references are allowed).
    for (const item of items) {
      if (item.kind === 'qualifierDecl') {
        const prev = this.#decls.get(lower(item.name));
        if (prev?.type !== undefined && item.type !== undefined) {
          this.#error(item.loc, `qualifier '${item.name}' is declared twice (first at ${prev.loc.file}:${prev.loc.line})`);
        }
        this.#decls.set(lower(item.name), item);
        if (item.default !== undefined && item.type !== undefined) {
          this.#checkQualifierType({ name: item.name, value: item.default, flavors: [], loc: item.loc }, item);
        }
      } else if (item.kind === 'class') {
        this.#unitClasses.set(nsKey(item.context.namespace, item.name), item);
        if (item.alias !== undefined) this.#addAlias(item.alias, item, item.loc);
      } else if (item.kind === 'instance') {
        this.#registerInstance(item);
      }
    }

    for (const cls of this.#unitClasses.values()) {
      const seen: MofClass[] = [];
      let c: MofClass | undefined = cls;
      while (c && c.superclass !== undefined) {
        if (seen.includes(c)) {
          if (c === cls) {
            this.#error(cls.nameLoc, `class '${cls.name}' inherits from itself (${seen.map((x) => x.name).join(' -> ')} -> ${cls.name})`);
            this.#cyclic.add(cls);
          }
          break;
        }
        seen.push(c);
        c = this.#findUnitClass(c.context.namespace, c.superclass);
      }
      if (c && seen.includes(c) && c !== cls) this.#cyclic.add(cls);
    }

    const plan: MofPlan = { classes: [], instances: [], deletes: [], valueOnly: 0, segments: 1, warnings: this.#warnings };
    let segment = 0;
    const planned = new Map<string, PlannedClass>();
    for (const item of items) {
      if (item.kind === 'pragma') {
        const del = this.#planDelete(item, segment);
        if (del) {
          plan.deletes.push(del);
          segment++;
        }
        continue;
      }
      if (item.kind === 'class') {
        const mode = item.context.classFlags.includes('createonly')
          ? 'createOnly'
          : item.context.classFlags.includes('updateonly')
            ? 'updateOnly'
            : 'createOrUpdate';
        if (this.#cyclic.has(item)) continue;
        const r = await this.#planOnce(item);
        if (!r) continue;
        const pc: PlannedClass = {
          namespace: item.context.namespace,
          definition: r.definition,
          mode,
          amended: r.amended,
          level: 0,
          dependsOn: [],
          loc: item.loc,
          segment,
        };
        if (item.context.classFlags.includes('safeupdate')) pc.update = 'safe';
        if (item.context.classFlags.includes('forceupdate')) pc.update = 'force';
        const key = nsKey(item.context.namespace, item.name);
        planned.delete(key);
        planned.set(key, pc);
      } else if (item.kind === 'instance') {
        await this.#convertInstance(item);
      }
    }
    plan.classes = [...planned.values()];
    this.#levels(plan.classes);

    for (const item of items) {
      if (item.kind !== 'instance') continue;
      const values = this.#instanceValues.get(item);
      if (!values) continue;
      const keys = this.#keyNames.get(item);
      const className = this.#classNames.get(item) ?? item.className;
      const noKeyValues =
        Array.isArray(keys) &&
        keys.every((k) => {
          const v = Object.entries(values).find(([n]) => lower(n) === lower(k))?.[1];
          return v === undefined || v === null;
        });
      if (item.alias !== undefined && noKeyValues) {
        plan.valueOnly++;
        continue;
      }
      const iq = this.#qualifiers(item.qualifiers, 'instance');
      const pi: PlannedInstance = {
        namespace: item.context.namespace,
        className,
        properties: values,
        mode: item.context.instanceFlags.includes('createonly')
          ? 'createOnly'
          : item.context.instanceFlags.includes('updateonly')
            ? 'updateOnly'
            : 'createOrUpdate',
        amended: iq.amended,
        path: Array.isArray(keys) && keys.length === 0 ? null : this.#instancePath(item, item.loc, true),
        loc: item.loc,
        segment: this.#segmentOf(items, item),
        createsNamespace: lower(className) === '__namespace',
      };
      if (item.alias !== undefined) pi.alias = item.alias;
      plan.instances.push(pi);
    }
    plan.segments = segment + 1;
    if (this.#errors.length > 0) throw new MofError(this.#sortedErrors());
    return plan;
  }

  #segmentCache: Map<MofItem, number> | undefined;

  #segmentOf(items: readonly MofItem[], target: MofItem): number {
    if (!this.#segmentCache) {
      this.#segmentCache = new Map();
      let s = 0;
      for (const it of items) {
        if (it.kind === 'pragma' && (it.name === 'deleteclass' || it.name === 'deleteinstance')) s++;
        this.#segmentCache.set(it, s);
      }
    }
    return this.#segmentCache.get(target) ?? 0;
  }

  #sortedErrors(): MofDiagnostic[] {
    return this.#errors;
  }

  #registerInstance(inst: MofInstance): void {
    if (inst.alias !== undefined) this.#addAlias(inst.alias, inst, inst.loc);
    if (lower(inst.className) === '__namespace') {
      const name = inst.values.find((v) => lower(v.name) === 'name');
      if (name?.value.kind === 'string') this.#createdNamespaces.add(lower(`${inst.context.namespace}\\${name.value.value}`));
    }
    const walk = (v: MofValue): void => {
      if (v.kind === 'instance') {
        v.instance.context = inst.context;
        this.#registerInstance(v.instance);
      } else if (v.kind === 'array') v.items.forEach(walk);
    };
    inst.values.forEach((pv) => walk(pv.value));
  }

  #addAlias(name: string, item: MofInstance | MofClass, loc: MofLocation): void {
    const prev = this.#aliases.get(lower(name));
    if (prev) {
      this.#error(loc, `alias '$${name}' is already defined at ${prev.loc.file}:${prev.loc.line}:${prev.loc.column}`);
      return;
    }
    this.#aliases.set(lower(name), { item, loc });
  }

  /** Namespaces the unit creates with `__NAMESPACE` instances (lower case, full path). */
  get createdNamespaces(): ReadonlySet<string> {
    return this.#createdNamespaces;
  }

  #planDelete(p: MofPragma, segment: number): PlannedDelete | null {
    if (p.name !== 'deleteclass' && p.name !== 'deleteinstance') return null;
    const arg = p.args[0];
    if (arg?.kind !== 'string') return null;
    return {
      kind: p.name === 'deleteclass' ? 'class' : 'instance',
      namespace: p.context.namespace,
      target: arg.value,
      fail: p.words[0] === 'fail',
      loc: p.loc,
      segment,
    };
  }

  /** Level = 1 + the deepest planned class it needs (superclass; embedded/reference classes defined earlier). */
  #levels(classes: PlannedClass[]): void {
    const byKey = new Map<string, { pc: PlannedClass; index: number }>();
    classes.forEach((pc, index) => byKey.set(nsKey(pc.namespace, pc.definition.name), { pc, index }));
    const level = new Map<PlannedClass, number>();
    const visit = (pc: PlannedClass, index: number, stack: Set<PlannedClass>): number => {
      const known = level.get(pc);
      if (known !== undefined) return known;
      if (stack.has(pc)) return 0;
      stack.add(pc);
      let lv = 0;
      const deps = new Set<string>();
      const d = pc.definition;
      if (d.superclass !== undefined) deps.add(nsKey(pc.namespace, d.superclass));
      for (const p of Object.values(d.properties)) {
        const t = p.objectClass ?? p.refClass;
        if (t !== undefined) deps.add(nsKey(pc.namespace, t));
      }
      for (const m of Object.values(d.methods ?? {})) {
        for (const prm of Object.values(m.parameters ?? {})) {
          const t = prm.objectClass ?? prm.refClass;
          if (t !== undefined) deps.add(nsKey(pc.namespace, t));
        }
      }
      for (const k of deps) {
        const dep = byKey.get(k);
        if (!dep || dep.pc === pc) continue;
        // Only the superclass may come later in the file; other uses must not create cycles.
        const isSuper = d.superclass !== undefined && k === nsKey(pc.namespace, d.superclass);
        if (!isSuper && dep.index > index) continue;
        pc.dependsOn.push(k);
        lv = Math.max(lv, visit(dep.pc, dep.index, stack) + 1);
      }
      stack.delete(pc);
      level.set(pc, lv);
      pc.level = lv;
      return lv;
    };
    classes.forEach((pc, i) => visit(pc, i, new Set()));
  }
}

function applyFlavor(f: QualifierFlavor, word: string): void {
  switch (word) {
    case 'tosubclass': f.toSubclass = true; break;
    case 'nottosubclass': f.toSubclass = false; break;
    case 'toinstance': f.toInstance = true; break;
    case 'nottoinstance': f.toInstance = false; break;
    case 'restricted': f.toSubclass = false; f.toInstance = false; break;
    case 'disableoverride': f.disableOverride = true; break;
    case 'enableoverride': f.disableOverride = false; break;
    case 'amended': f.amended = true; break;
    default: break; // translatable: no WMI flavor bit
  }
}

/** The qualifiers a subclass sees: those with ToSubclass. */
function propagated(q: Qualifiers): Qualifiers {
  const out: Qualifiers = {};
  for (const [k, v] of Object.entries(q)) if (flavorOf(v).toSubclass) out[k] = v;
  return out;
}

function mergeQualifiers(into: Qualifiers, from: Qualifiers | undefined): void {
  if (!from) return;
  for (const [k, v] of Object.entries(from)) {
    const existing = Object.keys(into).find((x) => lower(x) === lower(k));
    if (existing !== undefined) delete into[existing];
    into[k] = v;
  }
}

function describeType(p: { type: string; array?: boolean }): string {
  return `${p.type}${p.array ? '[]' : ''}`;
}

function describeValue(v: MofValue): string {
  switch (v.kind) {
    case 'integer': return `the integer ${v.text}`;
    case 'real': return `the real ${v.text}`;
    case 'string': return `the string ${JSON.stringify(v.value.length > 40 ? `${v.value.slice(0, 40)}...` : v.value)}`;
    case 'boolean': return `the boolean ${v.value ? 'TRUE' : 'FALSE'}`;
    case 'char16': return `the char16 ${JSON.stringify(v.value)}`;
    case 'alias': return `the alias $${v.name}`;
    case 'instance': return `an instance of '${v.instance.className}'`;
    default: return `a ${v.kind} value`;
  }
}

/** Parses and checks: the plan, or a MofError listing every problem. */
export async function checkMof(
  items: readonly MofItem[],
  texts: SourceTexts,
  lookup: ClassLookup,
  options: CheckOptions = {},
): Promise<MofPlan> {
  return new MofChecker(texts, lookup, options).check(items);
}
