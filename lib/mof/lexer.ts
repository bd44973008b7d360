// MOF tokenizer (DSP0004 Annex A lexical rules as mofcomp applies them):
// comments, identifiers, $aliases, every integer form (decimal, 0x hex,
// 0-prefixed octal, b-suffixed binary), reals, strings with escapes, char16
// literals, punctuation and `#pragma`. Keywords are not reserved here: the
// parser compares identifiers case-insensitively where the grammar expects one.
import type { MofLocation } from './ast';
import { MofSyntaxError } from './diagnostics';

export type TokenKind =
  | 'ident'
  | 'alias'
  | 'integer'
  | 'real'
  | 'string'
  | 'char16'
  | 'pragma'
  | 'punct'
  | 'eof';

export interface Token {
  kind: TokenKind;
  /** Identifier/alias name (alias without `$`), punctuation character, or the literal's source text. */
  text: string;
  /** Decoded string / char16 value. */
  str?: string;
  /** Integer value (unsigned magnitude; a sign is a separate punct token). */
  int?: bigint;
  real?: number;
  line: number;
  column: number;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isHex = (c: number): boolean => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const isIdentStart = (c: number): boolean =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || (c >= 0x80 && c !== 0xfeff && c !== 0xa0 && c !== 0x2028);
const isIdentPart = (c: number): boolean => isIdentStart(c) || isDigit(c);
const punct = new Set(['{', '}', '[', ']', '(', ')', ';', ',', ':', '=', '+', '-']);

export function tokenize(text: string, file: string): Token[] {
  const tokens: Token[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const loc = (at: number): MofLocation => ({ file, line, column: at - lineStart + 1 });
  const fail = (at: number, message: string): never => {
    throw new MofSyntaxError(loc(at), message);
  };

  // Reads one escape sequence after a backslash at text[i] === '\\'; returns the decoded text.
  const escape = (): string => {
    const at = i;
    i++;
    const c = text[i];
    i++;
    switch (c) {
      case 'b': return '\b';
      case 't': return '\t';
      case 'n': return '\n';
      case 'f': return '\f';
      case 'r': return '\r';
      case '"': return '"';
      case "'": return "'";
      case '\\': return '\\';
      case 'x':
      case 'X': {
        let j = i;
        while (j < n && j - i < 4 && isHex(text.charCodeAt(j))) j++;
        if (j === i) fail(at, 'invalid escape: \\x needs 1 to 4 hex digits');
        const code = parseInt(text.slice(i, j), 16);
        i = j;
        return String.fromCharCode(code);
      }
      default:
        return fail(at, `invalid escape sequence '\\${c ?? ''}'`);
    }
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    // Whitespace and line ends.
    if (c === 10) {
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (c === 32 || c === 9 || c === 13 || c === 11 || c === 12 || c === 0xfeff || c === 0xa0 || c === 0x1a) {
      i++;
      continue;
    }
    // Comments.
    if (c === 47 /* / */) {
      const d = text.charCodeAt(i + 1);
      if (d === 47) {
        while (i < n && text.charCodeAt(i) !== 10) i++;
        continue;
      }
      if (d === 42) {
        const start = i;
        i += 2;
        for (;;) {
          if (i >= n) fail(start, 'unterminated comment');
          const e = text.charCodeAt(i);
          if (e === 42 && text.charCodeAt(i + 1) === 47) {
            i += 2;
            break;
          }
          if (e === 10) {
            line++;
            lineStart = i + 1;
          }
          i++;
        }
        continue;
      }
      fail(i, "unexpected character '/'");
    }
    const start = i;
    const column = i - lineStart + 1;
    // Identifiers and binary literals never start alike (binary starts with a digit).
    if (isIdentStart(c)) {
      i++;
      while (i < n && isIdentPart(text.charCodeAt(i))) i++;
      tokens.push({ kind: 'ident', text: text.slice(start, i), line, column });
      continue;
    }
    if (c === 36 /* $ */) {
      i++;
      const nameStart = i;
      while (i < n && isIdentPart(text.charCodeAt(i))) i++;
      if (i === nameStart) fail(start, "'$' must be followed by an alias name");
      tokens.push({ kind: 'alias', text: text.slice(nameStart, i), line, column });
      continue;
    }
    if (c === 35 /* # */) {
      i++;
      while (i < n && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
      const wordStart = i;
      while (i < n && isIdentPart(text.charCodeAt(i))) i++;
      if (text.slice(wordStart, i).toLowerCase() !== 'pragma') fail(start, "expected '#pragma'");
      tokens.push({ kind: 'pragma', text: '#pragma', line, column });
      continue;
    }
    if (isDigit(c) || (c === 46 /* . */ && isDigit(text.charCodeAt(i + 1)))) {
      // Scan the longest run that can belong to a number, then classify it.
      let j = i;
      if (c === 48 && (text[i + 1] === 'x' || text[i + 1] === 'X')) {
        j = i + 2;
        while (j < n && isHex(text.charCodeAt(j))) j++;
        if (j === i + 2) fail(start, 'invalid hex literal');
        if (j < n && isIdentPart(text.charCodeAt(j))) fail(start, `invalid number '${text.slice(i, j + 1)}'`);
        tokens.push({ kind: 'integer', text: text.slice(i, j), int: BigInt(text.slice(i, j)), line, column });
        i = j;
        continue;
      }
      while (j < n && isDigit(text.charCodeAt(j))) j++;
      let isReal = false;
      if (text[j] === '.' && isDigit(text.charCodeAt(j + 1))) {
        isReal = true;
        j++;
        while (j < n && isDigit(text.charCodeAt(j))) j++;
      } else if (text[j] === '.' && !isIdentStart(text.charCodeAt(j + 1))) {
        // "1." is accepted as a real by mofcomp.
        isReal = true;
        j++;
      }
      if (text[j] === 'e' || text[j] === 'E') {
        let k = j + 1;
        if (text[k] === '+' || text[k] === '-') k++;
        if (isDigit(text.charCodeAt(k))) {
          while (k < n && isDigit(text.charCodeAt(k))) k++;
          isReal = true;
          j = k;
        }
      }
      const body = text.slice(i, j);
      if (isReal) {
        if (j < n && isIdentPart(text.charCodeAt(j))) fail(start, `invalid number '${text.slice(i, j + 1)}'`);
        tokens.push({ kind: 'real', text: body, real: Number(body), line, column });
        i = j;
        continue;
      }
      if ((text[j] === 'b' || text[j] === 'B') && !(j + 1 < n && isIdentPart(text.charCodeAt(j + 1)))) {
        if (!/^[01]+$/.test(body)) fail(start, `invalid binary literal '${body}${text[j]}'`);
        tokens.push({ kind: 'integer', text: text.slice(i, j + 1), int: BigInt(`0b${body}`), line, column });
        i = j + 1;
        continue;
      }
      if (j < n && isIdentPart(text.charCodeAt(j))) {
        let k = j;
        while (k < n && isIdentPart(text.charCodeAt(k))) k++;
        fail(start, `invalid number '${text.slice(i, k)}'`);
      }
      let value: bigint;
      if (body.length > 1 && body[0] === '0') {
        if (!/^[0-7]+$/.test(body)) fail(start, `invalid octal literal '${body}'`);
        value = BigInt(`0o${body.slice(1)}`);
      } else {
        value = BigInt(body);
      }
      tokens.push({ kind: 'integer', text: body, int: value, line, column });
      i = j;
      continue;
    }
    if (c === 34 /* " */) {
      i++;
      let out = '';
      let chunk = i;
      for (;;) {
        if (i >= n) fail(start, 'unterminated string');
        const e = text.charCodeAt(i);
        if (e === 34) break;
        if (e === 10) fail(start, 'unterminated string (a string cannot span lines; use adjacent literals)');
        if (e === 92) {
          out += text.slice(chunk, i);
          out += escape();
          chunk = i;
          continue;
        }
        i++;
      }
      out += text.slice(chunk, i);
      i++;
      tokens.push({ kind: 'string', text: text.slice(start, i), str: out, line, column });
      continue;
    }
    if (c === 39 /* ' */) {
      i++;
      let value: string;
      if (text[i] === '\\') value = escape();
      else {
        if (i >= n || text[i] === "'" || text[i] === '\n') fail(start, 'empty or unterminated char16 literal');
        value = text[i] as string;
        i++;
      }
      if (text[i] !== "'") fail(start, 'a char16 literal holds exactly one character');
      i++;
      tokens.push({ kind: 'char16', text: text.slice(start, i), str: value, line, column });
      continue;
    }
    const ch = text[i] as string;
    if (punct.has(ch)) {
      i++;
      tokens.push({ kind: 'punct', text: ch, line, column });
      continue;
    }
    if (ch === '.') fail(i, "unexpected '.'");
    fail(i, `unexpected character '${ch}'`);
  }
  tokens.push({ kind: 'eof', text: '', line, column: i - lineStart + 1 });
  return tokens;
}
