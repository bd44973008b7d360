// MOF errors: every one names file:line:column and shows the offending line
// with a caret under the column.
import type { MofLocation } from './ast';

export interface MofDiagnostic {
  file: string;
  line: number;
  column: number;
  message: string;
  /** The source line and a caret line, ready to print. */
  excerpt: string;
  /** WBEM status name when the error came from the server (`WBEM_E_NOT_FOUND`). */
  code?: string;
}

/** Decoded source texts by file name, to quote lines in diagnostics. */
export class SourceTexts {
  readonly #texts = new Map<string, string>();

  add(file: string, text: string): void {
    this.#texts.set(file, text);
  }

  line(file: string, line: number): string | undefined {
    const text = this.#texts.get(file);
    if (text === undefined) return undefined;
    let start = 0;
    for (let n = 1; n < line; n++) {
      const next = text.indexOf('\n', start);
      if (next < 0) return undefined;
      start = next + 1;
    }
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    return text.slice(start, end).replace(/\r$/, '');
  }

  diagnostic(loc: MofLocation, message: string, code?: string): MofDiagnostic {
    const src = this.line(loc.file, loc.line);
    let excerpt = '';
    if (src !== undefined) {
      // Keep tabs in the caret line so the caret lines up under the column.
      const prefix = src.slice(0, Math.max(0, loc.column - 1)).replace(/[^\t]/g, ' ');
      excerpt = `  ${src}\n  ${prefix}^`;
    }
    const d: MofDiagnostic = { file: loc.file, line: loc.line, column: loc.column, message, excerpt };
    if (code !== undefined) d.code = code;
    return d;
  }
}

export function formatDiagnostic(d: MofDiagnostic): string {
  const head = `${d.file}:${d.line}:${d.column}: error: ${d.message}`;
  return d.excerpt ? `${head}\n${d.excerpt}` : head;
}

/** Thrown (or rejected with) when MOF text does not parse or does not pass the checks; nothing was written. */
export class MofError extends Error {
  readonly diagnostics: MofDiagnostic[];

  constructor(diagnostics: MofDiagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'MofError';
    this.diagnostics = diagnostics;
  }
}

/** A syntax error at a location; the loader turns it into a MofError with the excerpt. */
export class MofSyntaxError extends Error {
  readonly loc: MofLocation;

  constructor(loc: MofLocation, message: string) {
    super(message);
    this.name = 'MofSyntaxError';
    this.loc = loc;
  }
}
