// Recursive-descent parser for CIM v2 MOF (DSP0004 Annex A) with WMI's
// extensions: `object`/class-named embedded-object types, fixed-size arrays,
// flavor-only qualifier declarations, `#pragma` with identifier arguments.
// Produces the items of one file in order; the loader (source.ts) follows
// includes and attaches the pragma context to each item.
import type {
  MofClass,
  MofContext,
  MofInstance,
  MofItem,
  MofLocation,
  MofMethod,
  MofParameter,
  MofPragma,
  MofProperty,
  MofPropertyValue,
  MofQualifier,
  MofQualifierDecl,
  MofType,
  MofValue,
} from './ast';
import { MofSyntaxError } from './diagnostics';
import { tokenize, type Token } from './lexer';

/** Lower-case names of the CIM data types MOF accepts. */
export const mofDataTypes = new Set([
  'sint8', 'uint8', 'sint16', 'uint16', 'sint32', 'uint32', 'sint64', 'uint64',
  'real32', 'real64', 'boolean', 'string', 'char16', 'datetime',
]);

export const flavorKeywords = new Set([
  'enableoverride', 'disableoverride', 'restricted', 'tosubclass', 'nottosubclass', 'toinstance',
  'nottoinstance', 'translatable', 'amended',
]);

const scopeKeywords = new Set([
  'schema', 'class', 'association', 'indication', 'qualifier', 'property', 'reference', 'method', 'parameter', 'any',
  'instance',
]);

/** A placeholder context; the loader replaces it with the pragmas in effect. */
const noContext = (): MofContext => ({ namespace: '', classFlags: [], instanceFlags: [] });

class Parser {
  readonly #tokens: Token[];
  readonly #file: string;
  #pos = 0;

  constructor(tokens: Token[], file: string) {
    this.#tokens = tokens;
    this.#file = file;
  }

  get #tok(): Token {
    return this.#tokens[this.#pos] as Token;
  }

  #peek(offset = 1): Token {
    return this.#tokens[Math.min(this.#pos + offset, this.#tokens.length - 1)] as Token;
  }

  #loc(t: Token = this.#tok): MofLocation {
    return { file: this.#file, line: t.line, column: t.column };
  }

  #fail(message: string, t: Token = this.#tok): never {
    throw new MofSyntaxError(this.#loc(t), message);
  }

  #describe(t: Token): string {
    if (t.kind === 'eof') return 'end of file';
    if (t.kind === 'alias') return `'$${t.text}'`;
    return `'${t.text}'`;
  }

  #isPunct(ch: string, t: Token = this.#tok): boolean {
    return t.kind === 'punct' && t.text === ch;
  }

  #isWord(word: string, t: Token = this.#tok): boolean {
    return t.kind === 'ident' && t.text.toLowerCase() === word;
  }

  #expectPunct(ch: string, what?: string): Token {
    const t = this.#tok;
    if (!this.#isPunct(ch)) this.#fail(`expected '${ch}'${what ? ` ${what}` : ''}, found ${this.#describe(t)}`);
    this.#pos++;
    return t;
  }

  #expectIdent(what: string): Token {
    const t = this.#tok;
    if (t.kind !== 'ident') this.#fail(`expected ${what}, found ${this.#describe(t)}`);
    this.#pos++;
    return t;
  }

  #expectWord(word: string): Token {
    const t = this.#tok;
    if (!this.#isWord(word)) this.#fail(`expected '${word}', found ${this.#describe(t)}`);
    this.#pos++;
    return t;
  }

  parseFile(): MofItem[] {
    const items: MofItem[] = [];
    while (this.#tok.kind !== 'eof') {
      if (this.#isPunct(';')) {
        this.#pos++; // stray semicolons are harmless
        continue;
      }
      items.push(this.#item());
    }
    return items;
  }

  #item(): MofItem {
    const t = this.#tok;
    if (t.kind === 'pragma') return this.#pragma();
    if (this.#isWord('qualifier')) return this.#qualifierDecl();
    const qualifiers = this.#isPunct('[') ? this.#qualifierList() : [];
    const k = this.#tok;
    if (this.#isWord('class')) return this.#class(qualifiers, qualifiers.length > 0 ? t : k);
    if (this.#isWord('instance')) return this.#instance(qualifiers, qualifiers.length > 0 ? t : k);
    return this.#fail(
      qualifiers.length > 0
        ? `expected 'class' or 'instance of' after the qualifier list, found ${this.#describe(k)}`
        : `expected 'class', 'instance of', 'qualifier' or '#pragma', found ${this.#describe(k)}`,
    );
  }

  #pragma(): MofPragma {
    const start = this.#tok;
    this.#pos++;
    const nameTok = this.#expectIdent('a pragma name');
    const pragma: MofPragma = {
      kind: 'pragma',
      name: nameTok.text.toLowerCase(),
      args: [],
      words: [],
      loc: this.#loc(start),
      context: noContext(),
    };
    if (this.#isPunct('(') && this.#tok.line === nameTok.line) {
      this.#pos++;
      if (!this.#isPunct(')')) {
        for (;;) {
          if (this.#tok.kind === 'ident' && !['true', 'false', 'null'].includes(this.#tok.text.toLowerCase())) {
            pragma.words.push(this.#tok.text.toLowerCase());
            this.#pos++;
          } else {
            pragma.args.push(this.#value());
          }
          if (this.#isPunct(',')) {
            this.#pos++;
            continue;
          }
          break;
        }
      }
      this.#expectPunct(')', 'to close the pragma');
    }
    return pragma;
  }

  #flavorList(): string[] {
    const flavors: string[] = [];
    while (this.#tok.kind === 'ident' && flavorKeywords.has(this.#tok.text.toLowerCase())) {
      flavors.push(this.#tok.text.toLowerCase());
      this.#pos++;
    }
    return flavors;
  }

  #qualifierDecl(): MofQualifierDecl {
    const start = this.#tok;
    this.#pos++;
    const name = this.#expectIdent('a qualifier name').text;
    this.#expectPunct(':', 'after the qualifier name');
    const decl: MofQualifierDecl = { kind: 'qualifierDecl', name, scopes: [], flavors: [], loc: this.#loc(start) };
    if (this.#tok.kind === 'ident' && mofDataTypes.has(this.#tok.text.toLowerCase())) {
      decl.type = this.#tok.text.toLowerCase();
      this.#pos++;
      if (this.#isPunct('[')) {
        this.#pos++;
        if ((this.#tok as Token).kind === 'integer') this.#pos++;
        this.#expectPunct(']', 'to close the array type');
        decl.array = true;
      }
      if (this.#isPunct('=')) {
        this.#pos++;
        decl.default = this.#value();
      }
      while (this.#isPunct(',')) {
        this.#pos++;
        const kw = this.#expectIdent("'scope' or 'flavor'");
        const word = kw.text.toLowerCase();
        if (word !== 'scope' && word !== 'flavor') this.#fail(`expected 'scope' or 'flavor', found '${kw.text}'`, kw);
        this.#expectPunct('(');
        for (;;) {
          const w = this.#expectIdent(word === 'scope' ? 'a scope' : 'a flavor');
          const lw = w.text.toLowerCase();
          if (word === 'scope' && !scopeKeywords.has(lw)) this.#fail(`unknown scope '${w.text}'`, w);
          if (word === 'flavor' && !flavorKeywords.has(lw)) this.#fail(`unknown flavor '${w.text}'`, w);
          (word === 'scope' ? decl.scopes : decl.flavors).push(lw);
          if (this.#isPunct(',')) {
            this.#pos++;
            continue;
          }
          break;
        }
        this.#expectPunct(')');
      }
    } else {
      // WMI: `Qualifier Description : ToSubClass Amended;` sets the flavors of every later use.
      decl.flavors = this.#flavorList();
      if (decl.flavors.length === 0) this.#fail(`expected a CIM type or flavors, found ${this.#describe(this.#tok)}`);
    }
    this.#expectPunct(';', 'after the qualifier declaration');
    return decl;
  }

  #qualifierList(): MofQualifier[] {
    this.#expectPunct('[');
    const list: MofQualifier[] = [];
    for (;;) {
      const nameTok = this.#expectIdent('a qualifier name');
      const q: MofQualifier = { name: nameTok.text, flavors: [], loc: this.#loc(nameTok) };
      if (this.#isPunct('(')) {
        const open = this.#tok;
        this.#pos++;
        const first = this.#value();
        if (this.#isPunct(',')) {
          // Description("a", "b") is taken as an array, as mofcomp does.
          const items = [first];
          while (this.#isPunct(',')) {
            this.#pos++;
            items.push(this.#value());
          }
          q.value = { kind: 'array', items, loc: this.#loc(open) };
        } else {
          q.value = first;
        }
        this.#expectPunct(')', `to close qualifier '${q.name}'`);
      } else if (this.#isPunct('{')) {
        q.value = this.#arrayValue();
      }
      if (this.#isPunct(':')) {
        this.#pos++;
        q.flavors = this.#flavorList();
        if (q.flavors.length === 0) this.#fail(`expected a flavor after ':', found ${this.#describe(this.#tok)}`);
      }
      list.push(q);
      if (this.#isPunct(',')) {
        this.#pos++;
        continue;
      }
      break;
    }
    this.#expectPunct(']', 'to close the qualifier list');
    return list;
  }

  /** A type in front of a property, parameter or method name. */
  #type(allowVoid: boolean): MofType {
    const t = this.#expectIdent('a type');
    const lower = t.text.toLowerCase();
    const loc = this.#loc(t);
    if (this.#isWord('ref')) {
      this.#pos++;
      if (mofDataTypes.has(lower)) this.#fail(`'${t.text}' is a data type, not a class: 'ref' needs a class name`, t);
      return lower === 'object' ? { type: 'reference', loc } : { type: 'reference', refClass: t.text, loc };
    }
    if (mofDataTypes.has(lower)) return { type: lower, loc };
    if (lower === 'void') {
      if (!allowVoid) this.#fail("'void' is only a method result type", t);
      return { type: 'void', loc };
    }
    if (lower === 'object') return { type: 'object', loc };
    return { type: 'object', objectClass: t.text, loc };
  }

  #arraySuffix(): { array: boolean; arraySize?: number } {
    if (!this.#isPunct('[')) return { array: false };
    this.#pos++;
    if (this.#tok.kind === 'integer') {
      const size = Number(this.#tok.int);
      this.#pos++;
      this.#expectPunct(']', 'to close the array size');
      return { array: true, arraySize: size };
    }
    this.#expectPunct(']', 'to close the array');
    return { array: true };
  }

  #class(qualifiers: MofQualifier[], start: Token): MofClass {
    this.#pos++; // class
    const nameTok = this.#expectIdent('a class name');
    const cls: MofClass = {
      kind: 'class',
      name: nameTok.text,
      qualifiers,
      properties: [],
      methods: [],
      loc: this.#loc(start),
      nameLoc: this.#loc(nameTok),
      context: noContext(),
    };
    if (this.#isWord('as')) {
      this.#pos++;
      const a = this.#tok;
      if (a.kind !== 'alias') this.#fail(`expected an alias ('$name') after 'as', found ${this.#describe(a)}`);
      cls.alias = a.text;
      this.#pos++;
    }
    if (this.#isPunct(':')) {
      this.#pos++;
      const sup = this.#expectIdent('a superclass name');
      cls.superclass = sup.text;
      cls.superLoc = this.#loc(sup);
    }
    this.#expectPunct('{', `to open the body of class '${cls.name}'`);
    while (!this.#isPunct('}')) {
      if (this.#tok.kind === 'eof') this.#fail(`missing '}' at the end of class '${cls.name}'`);
      const featureStart = this.#tok;
      const fq = this.#isPunct('[') ? this.#qualifierList() : [];
      const type = this.#type(true);
      const nameT = this.#expectIdent('a property or method name');
      if (this.#isPunct('(')) {
        cls.methods.push(this.#method(fq, type, nameT, featureStart));
        continue;
      }
      if (type.type === 'void') this.#fail("a property cannot be 'void'", featureStart);
      const prop: MofProperty = {
        name: nameT.text,
        qualifiers: fq,
        type,
        ...this.#arraySuffix(),
        loc: this.#loc(nameT),
      };
      if (this.#isPunct('=')) {
        this.#pos++;
        prop.default = this.#value();
      }
      this.#expectPunct(';', `after property '${prop.name}'`);
      cls.properties.push(prop);
    }
    this.#pos++; // }
    this.#expectPunct(';', `after the body of class '${cls.name}'`);
    return cls;
  }

  #method(qualifiers: MofQualifier[], returnType: MofType, nameT: Token, _start: Token): MofMethod {
    this.#pos++; // (
    const method: MofMethod = { name: nameT.text, qualifiers, returnType, parameters: [], loc: this.#loc(nameT) };
    if (!this.#isPunct(')')) {
      for (;;) {
        const pq = this.#isPunct('[') ? this.#qualifierList() : [];
        const type = this.#type(false);
        const pn = this.#expectIdent('a parameter name');
        const param: MofParameter = { name: pn.text, qualifiers: pq, type, ...this.#arraySuffix(), loc: this.#loc(pn) };
        if (this.#isPunct('=')) {
          this.#pos++;
          this.#value(); // DSP0004 allows a default for a parameter; WMI ignores it.
        }
        method.parameters.push(param);
        if (this.#isPunct(',')) {
          this.#pos++;
          continue;
        }
        break;
      }
    }
    this.#expectPunct(')', `to close the parameters of method '${method.name}'`);
    this.#expectPunct(';', `after method '${method.name}'`);
    return method;
  }

  #instance(qualifiers: MofQualifier[], start: Token): MofInstance {
    this.#pos++; // instance
    this.#expectWord('of');
    const cn = this.#expectIdent('a class name');
    const inst: MofInstance = {
      kind: 'instance',
      className: cn.text,
      qualifiers,
      values: [],
      loc: this.#loc(start),
      classLoc: this.#loc(cn),
      context: noContext(),
    };
    if (this.#isWord('as')) {
      this.#pos++;
      const a = this.#tok;
      if (a.kind !== 'alias') this.#fail(`expected an alias ('$name') after 'as', found ${this.#describe(a)}`);
      inst.alias = a.text;
      this.#pos++;
    }
    this.#expectPunct('{', `to open the body of the instance of '${inst.className}'`);
    while (!this.#isPunct('}')) {
      if (this.#tok.kind === 'eof') this.#fail(`missing '}' at the end of the instance of '${inst.className}'`);
      const pq = this.#isPunct('[') ? this.#qualifierList() : [];
      const pn = this.#expectIdent('a property name');
      this.#expectPunct('=', `after property name '${pn.text}'`);
      const pv: MofPropertyValue = { name: pn.text, qualifiers: pq, value: this.#value(), loc: this.#loc(pn) };
      this.#expectPunct(';', `after the value of '${pn.text}'`);
      inst.values.push(pv);
    }
    this.#pos++; // }
    // The ';' after an inline `instance of` used as a value belongs to the enclosing assignment.
    return inst;
  }

  #arrayValue(): MofValue {
    const open = this.#expectPunct('{');
    const items: MofValue[] = [];
    if (!this.#isPunct('}')) {
      for (;;) {
        items.push(this.#value());
        if (this.#isPunct(',')) {
          this.#pos++;
          if (this.#isPunct('}')) break; // trailing comma
          continue;
        }
        break;
      }
    }
    this.#expectPunct('}', 'to close the array value');
    return { kind: 'array', items, loc: this.#loc(open) };
  }

  #value(): MofValue {
    const t = this.#tok;
    const loc = this.#loc(t);
    if (this.#isPunct('{')) return this.#arrayValue();
    if (this.#isPunct('-') || this.#isPunct('+')) {
      const sign = t.text;
      this.#pos++;
      const num = this.#tok;
      if (num.kind === 'integer') {
        this.#pos++;
        const v = num.int as bigint;
        return { kind: 'integer', value: sign === '-' ? -v : v, text: sign + num.text, loc };
      }
      if (num.kind === 'real') {
        this.#pos++;
        const v = num.real as number;
        return { kind: 'real', value: sign === '-' ? -v : v, text: sign + num.text, loc };
      }
      this.#fail(`expected a number after '${sign}', found ${this.#describe(num)}`);
    }
    switch (t.kind) {
      case 'integer':
        this.#pos++;
        return { kind: 'integer', value: t.int as bigint, text: t.text, loc };
      case 'real':
        this.#pos++;
        return { kind: 'real', value: t.real as number, text: t.text, loc };
      case 'string': {
        // Adjacent string literals concatenate.
        let s = '';
        while (this.#tok.kind === 'string') {
          s += this.#tok.str as string;
          this.#pos++;
        }
        return { kind: 'string', value: s, loc };
      }
      case 'char16':
        this.#pos++;
        return { kind: 'char16', value: t.str as string, loc };
      case 'alias':
        this.#pos++;
        return { kind: 'alias', name: t.text, loc };
      case 'ident': {
        const w = t.text.toLowerCase();
        if (w === 'true' || w === 'false') {
          this.#pos++;
          return { kind: 'boolean', value: w === 'true', loc };
        }
        if (w === 'null') {
          this.#pos++;
          return { kind: 'null', loc };
        }
        if (w === 'instance' && this.#isWord('of', this.#peek())) {
          return { kind: 'instance', instance: this.#instance([], t), loc };
        }
        if (this.#isPunct('[') ) break;
        return this.#fail(`expected a value, found '${t.text}'`);
      }
      case 'punct':
        if (t.text === '[') {
          // A qualified inline instance: [Q] instance of X { ... }
          const q = this.#qualifierList();
          if (this.#isWord('instance')) return { kind: 'instance', instance: this.#instance(q, t), loc };
          return this.#fail(`expected 'instance of' after the qualifier list, found ${this.#describe(this.#tok)}`);
        }
        break;
      default:
        break;
    }
    return this.#fail(`expected a value, found ${this.#describe(t)}`);
  }
}

/** Parses the text of one file into its items (includes are not followed here). */
export function parseMof(text: string, file = '<text>'): MofItem[] {
  return new Parser(tokenize(text, file), file).parseFile();
}
