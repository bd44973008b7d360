// Back to MOF: a ClassDefinition (what getClass returns) or an instance
// (what getObject returns, or { __CLASS, ...values }) as MOF text that
// compileMof reads back to the same definition.
import { CimDateTime, CimInterval } from '../datetime';
import type {
  CimValue,
  ClassDefinition,
  PropertyDefinition,
  QualifierFlavor,
  QualifierScalar,
  QualifierValue,
  Qualifiers,
} from '../types';

function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).toUpperCase().padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

function char16(ch: string): string {
  const c = ch.charCodeAt(0);
  if (ch === "'" || ch === '\\' || c < 0x20 || c >= 0x7f) return `'\\x${c.toString(16).toUpperCase().padStart(4, '0')}'`;
  return `'${ch}'`;
}

function number(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`toMof: ${n} has no MOF literal`);
  return Object.is(n, -0) ? '0' : String(n);
}

function qualifierScalar(v: QualifierScalar): string {
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return number(v);
  return quote(v);
}

/** Flavors relative to mofcomp's default (ToInstance ToSubclass EnableOverride). */
function flavorWords(f: QualifierFlavor | undefined): string[] {
  const words: string[] = [];
  const ti = f?.toInstance === true;
  const ts = f?.toSubclass === true;
  if (!ti && !ts) words.push('Restricted');
  else if (!ti) words.push('NotToInstance');
  else if (!ts) words.push('NotToSubclass');
  if (f?.disableOverride) words.push('DisableOverride');
  if (f?.amended) words.push('Amended');
  return words;
}

function qualifier(name: string, q: QualifierValue): string {
  const hasFlavor = typeof q === 'object' && q !== null && !Array.isArray(q);
  const value = hasFlavor ? (q as { value: QualifierScalar | QualifierScalar[] }).value : (q as QualifierScalar | QualifierScalar[]);
  const flavor = hasFlavor ? (q as { flavor?: QualifierFlavor }).flavor : undefined;
  let text = name;
  if (Array.isArray(value)) text += `{${value.map(qualifierScalar).join(', ')}}`;
  else if (value !== true) text += `(${qualifierScalar(value)})`;
  const words = flavorWords(flavor);
  if (words.length > 0) text += ` : ${words.join(' ')}`;
  return text;
}

function qualifierList(qs: Qualifiers | undefined, extra: string[] = []): string {
  const parts = [...extra, ...Object.entries(qs ?? {}).map(([n, q]) => qualifier(n, q))];
  return parts.length === 0 ? '' : `[${parts.join(',\n    ')}]`;
}

function isEmbedded(v: unknown): v is { __CLASS: string; [k: string]: CimValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date) &&
    !(v instanceof CimDateTime) && !(v instanceof CimInterval) && typeof (v as { __CLASS?: unknown }).__CLASS === 'string';
}

function value(v: CimValue, indent: string, type?: string): string {
  if (v === null) return 'NULL';
  if (Array.isArray(v)) return `{${v.map((x) => value(x, indent, type)).join(', ')}}`;
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return type === 'char16' ? char16(String.fromCharCode(v)) : number(v);
  if (typeof v === 'string') return type === 'char16' && v.length === 1 ? char16(v) : quote(v);
  if (v instanceof CimDateTime || v instanceof CimInterval) return quote(v.toString());
  if (v instanceof Date) return quote(CimDateTime.fromDate(v).toString());
  if (isEmbedded(v)) return instanceBody(v, indent, true);
  throw new TypeError('toMof: unsupported value');
}

function instanceBody(obj: { __CLASS: string; [k: string]: unknown }, indent: string, inline: boolean): string {
  const inner = `${indent}    `;
  const lines = [`instance of ${obj.__CLASS}`, `${indent}{`];
  for (const [name, v] of Object.entries(obj)) {
    if (name.startsWith('__') || v === null || v === undefined) continue;
    lines.push(`${inner}${name} = ${value(v as CimValue, inner)};`);
  }
  lines.push(`${indent}}${inline ? '' : ';'}`);
  return lines.join('\n');
}

function typeAndName(p: { type: string; refClass?: string; objectClass?: string }, name: string): string {
  if (p.type === 'reference') return `${p.refClass ?? 'object'} ref ${name}`;
  if (p.type === 'object') return `${p.objectClass ?? 'object'} ${name}`;
  return `${p.type} ${name}`;
}

function property(name: string, p: PropertyDefinition): string {
  const q = qualifierList(p.qualifiers, p.key ? ['Key'] : []);
  let line = `${typeAndName(p, name)}${p.array ? '[]' : ''}`;
  if (p.default !== undefined && p.default !== null) line += ` = ${value(p.default, '    ', p.type)}`;
  return `${q ? `    ${q.replace(/\n/g, '\n  ')}\n` : ''}    ${line};`;
}

function classToMof(def: ClassDefinition): string {
  const out: string[] = [];
  const q = qualifierList(def.qualifiers);
  if (q) out.push(q);
  out.push(`class ${def.name}${def.superclass ? ` : ${def.superclass}` : ''}`, '{');
  const members: string[] = [];
  for (const [name, p] of Object.entries(def.properties)) members.push(property(name, p));
  for (const [name, m] of Object.entries(def.methods ?? {})) {
    const params = Object.entries(m.parameters ?? {}).map(([pn, prm]) => {
      const flags: string[] = [];
      if (prm.in) flags.push('In');
      if (prm.out) flags.push('Out');
      const pq = qualifierList(prm.qualifiers, flags);
      return `${pq ? `${pq.replace(/\n\s*/g, ' ')} ` : ''}${typeAndName(prm, pn)}${prm.array ? '[]' : ''}`;
    });
    const mq = qualifierList(m.qualifiers);
    const ret = m.returnType ?? 'void';
    members.push(`${mq ? `    ${mq.replace(/\n/g, '\n  ')}\n` : ''}    ${ret} ${name}(${params.join(', ')});`);
  }
  out.push(members.join('\n\n'), '};');
  return out.join('\n');
}

/**
 * MOF text for a class definition or an instance (`{ __CLASS, ...values }`,
 * e.g. what getObject returns; system properties are left out). An array
 * gives the items one after the other.
 */
export function toMof(item: ClassDefinition | { __CLASS: string; [name: string]: unknown } | readonly (ClassDefinition | { __CLASS: string })[]): string {
  if (Array.isArray(item)) return item.map((x) => toMof(x as ClassDefinition)).join('\n\n') + '\n';
  const obj = item as Record<string, unknown>;
  if (typeof obj.__CLASS === 'string' && obj.__GENUS !== 1) {
    return `${instanceBody(obj as { __CLASS: string }, '', false)}\n`;
  }
  if (typeof obj.name === 'string' && typeof obj.properties === 'object') return `${classToMof(item as ClassDefinition)}\n`;
  throw new TypeError('toMof: expected a ClassDefinition or an instance with __CLASS');
}
