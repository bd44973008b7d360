// What a command declares (name, arguments, options, help) and what it gets
// when it runs (the parsed arguments and the shared context).
import type { Context } from './context';

export interface OptionSpec {
  /** Long name without the dashes: `file` for `--file`. */
  name: string;
  /** One-letter alias without the dash. */
  short?: string;
  /** `flag` takes no value; `string` and `int` take one (`--x v` or `--x=v`). */
  kind: 'flag' | 'string' | 'int';
  /** The accepted values of a `string` option. */
  values?: readonly string[];
  /** The value's name in the help text: `--file <path>`. */
  arg?: string;
  /** May be given several times (values collected in order). */
  repeat?: boolean;
  help: string;
}

/** `--mode <mode>` (put and class put): how an existing object is treated; each command adds its help. */
export const modeOption = {
  name: 'mode',
  kind: 'string',
  values: ['createOrUpdate', 'createOnly', 'updateOnly'],
  arg: 'mode',
} as const satisfies Omit<OptionSpec, 'help'>;

/** `--update <mode>` (put --define and class put): how a changed class is updated; each command adds its help. */
export const updateOption = {
  name: 'update',
  kind: 'string',
  values: ['compatible', 'safe', 'force'],
  arg: 'mode',
} as const satisfies Omit<OptionSpec, 'help'>;

export interface ParsedArgs {
  positionals: string[];
  /** Last value of each option given (`true` for flags), by long name. */
  options: Map<string, string | number | true>;
  /** Every value of a `repeat` option, in order. */
  lists: Map<string, string[]>;
}

export interface Command {
  name: string;
  /** One line for `wmi-put --help`. */
  summary: string;
  /** The argument part of the usage line: `<class> --file <items.ndjson|items.json>`. */
  synopsis: string;
  /** Extra help text after the options (may be empty). */
  details: string;
  options: readonly OptionSpec[];
  minArgs: number;
  maxArgs: number;
  run(ctx: Context, args: ParsedArgs): Promise<number>;
}

/** A command-line mistake: one line on stderr, a hint to --help, exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const v = args.options.get(name);
  return typeof v === 'string' ? v : undefined;
}

export function intOption(args: ParsedArgs, name: string): number | undefined {
  const v = args.options.get(name);
  return typeof v === 'number' ? v : undefined;
}

export function flag(args: ParsedArgs, name: string): boolean {
  return args.options.get(name) === true;
}
