// `wmi-put`: the command line. Parses the arguments (global options anywhere,
// command options after the command), runs one command and returns its exit
// code: 0 all good, 1 something failed (items, a missing object, a WMI error),
// 2 a usage error (one line on stderr and a hint to --help).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { classCommand } from './class';
import { classesCommand } from './classes';
import { UsageError, type Command, type OptionSpec, type ParsedArgs } from './command';
import { Context, type BackendOption, type GlobalOptions } from './context';
import { deleteCommand } from './delete';
import { getCommand } from './get';
import { instancesCommand } from './instances';
import { mofCommand } from './mof';
import { namespacesCommand } from './namespaces';
import { describeError, type Streams } from './output';
import { putCommand } from './put';

export const commands: readonly Command[] = [
  putCommand,
  getCommand,
  deleteCommand,
  instancesCommand,
  classesCommand,
  classCommand,
  namespacesCommand,
  mofCommand,
];

const globalOptions: readonly OptionSpec[] = [
  { name: 'namespace', short: 'n', kind: 'string', arg: 'ns', help: 'namespace (default root\\cimv2; / also separates)' },
  { name: 'backend', kind: 'string', values: ['auto', 'wmi', 'embedded'], arg: 'b', help: 'auto (default: wmi on Windows, embedded elsewhere or with --repository), wmi or embedded' },
  { name: 'repository', short: 'r', kind: 'string', arg: 'file', help: 'embedded: the repository file (default: in your data directory)' },
  { name: 'json', kind: 'flag', help: 'machine-readable output (64-bit integers as strings)' },
  { name: 'help', short: 'h', kind: 'flag', help: 'show help' },
  { name: 'version', short: 'V', kind: 'flag', help: 'print the version' },
];

function version(): string {
  // dist/lib/cli/main.js -> the package root.
  const file = path.resolve(__dirname, '..', '..', '..', 'package.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
}

function optionLines(options: readonly OptionSpec[]): string {
  const left = options.map((o) => `${o.short ? `-${o.short}, ` : '    '}--${o.name}${o.arg ? ` <${o.arg}>` : ''}`);
  const width = Math.max(...left.map((l) => l.length)) + 2;
  return options.map((o, i) => `  ${(left[i] as string).padEnd(width)}${o.help}\n`).join('');
}

export function globalHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return (
    `usage: wmi-put <command> [arguments] [options]\n\n` +
    `Asynchronous WMI writes from the command line: put instances from NDJSON/JSON files with a\n` +
    `progress bar, read them back, list classes and namespaces, compile MOF.\n\n` +
    `commands:\n` +
    commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}\n`).join('') +
    `\nglobal options:\n${optionLines(globalOptions)}\n` +
    `'wmi-put <command> --help' describes a command. Exit codes: 0 ok, 1 failed (items, not found,\n` +
    `WMI errors), 2 usage errors. Full reference: docs/cli.md.\n`
  );
}

export function commandHelp(c: Command): string {
  const optionPart = c.options.length > 0 ? ' [options]' : '';
  const synopsis = c.synopsis ? ` ${c.synopsis}` : '';
  return (
    `usage: wmi-put ${c.name}${synopsis}${optionPart}\n\n` +
    `${c.summary.charAt(0).toUpperCase()}${c.summary.slice(1)}.\n` +
    (c.options.length > 0 ? `\noptions:\n${optionLines(c.options)}` : '') +
    `\nglobal options:\n${optionLines(globalOptions)}` +
    (c.details ? `\n${c.details}\n` : '')
  );
}

export interface ParsedCommandLine {
  command: Command | undefined;
  args: ParsedArgs;
  /** `wmi-put help <command>` */
  helpRequested: boolean;
}

/** Parses argv (without node and the script). Throws UsageError. */
export function parseArgs(argv: readonly string[]): ParsedCommandLine {
  let command: Command | undefined;
  let helpRequested = false;
  const args: ParsedArgs = { positionals: [], options: new Map(), lists: new Map() };
  const positional = (a: string): void => {
    if (command !== undefined) {
      args.positionals.push(a);
      return;
    }
    if (a === 'help' && !helpRequested) {
      helpRequested = true;
      return;
    }
    const found = commands.find((c) => c.name === a);
    if (!found) throw new UsageError(`unknown command '${a}'`);
    command = found;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') {
      for (const rest of argv.slice(i + 1)) positional(rest);
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      positional(a);
      continue;
    }
    const specs = [...(command?.options ?? []), ...globalOptions];
    let spec: OptionSpec | undefined;
    let inline: string | undefined;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      if (eq >= 0) inline = a.slice(eq + 1);
      spec = specs.find((s) => s.name === name);
    } else if (a.length === 2) {
      spec = specs.find((s) => s.short === a[1]);
    }
    if (!spec) throw new UsageError(`unknown option ${a.split('=')[0]}`, command?.name);
    const shown = `--${spec.name}`;
    if (spec.kind === 'flag') {
      if (inline !== undefined) throw new UsageError(`${shown} takes no value`, command?.name);
      args.options.set(spec.name, true);
      continue;
    }
    let value = inline;
    if (value === undefined) {
      if (i + 1 >= argv.length) throw new UsageError(`${shown} needs a value${spec.arg ? ` <${spec.arg}>` : ''}`, command?.name);
      value = argv[++i] as string;
    }
    if (spec.values && !spec.values.includes(value)) {
      throw new UsageError(`${shown} must be ${spec.values.slice(0, -1).join(', ')} or ${spec.values[spec.values.length - 1]} (got '${value}')`, command?.name);
    }
    if (spec.kind === 'int') {
      if (!/^\d+$/.test(value)) throw new UsageError(`${shown} needs a non-negative integer (got '${value}')`, command?.name);
      args.options.set(spec.name, Number(value));
    } else {
      args.options.set(spec.name, value);
    }
    if (spec.repeat) args.lists.set(spec.name, [...(args.lists.get(spec.name) ?? []), value]);
  }
  return { command, args, helpRequested };
}

function usageFailure(streams: Streams, e: UsageError): number {
  const where = e.command ? `wmi-put ${e.command}` : 'wmi-put';
  streams.err.write(`${where}: ${e.message}\nTry '${where} --help' for more information.\n`);
  return 2;
}

/** Runs the CLI with `argv` (without node and the script); resolves with the exit code. */
export async function main(argv: readonly string[], streams: Streams = { out: process.stdout, err: process.stderr }): Promise<number> {
  let parsed: ParsedCommandLine;
  try {
    parsed = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) return usageFailure(streams, e);
    throw e;
  }
  const { command, args, helpRequested } = parsed;
  if (args.options.get('version') === true) {
    streams.out.write(`${version()}\n`);
    return 0;
  }
  if (args.options.get('help') === true || helpRequested) {
    streams.out.write(command ? commandHelp(command) : globalHelp());
    return 0;
  }
  if (!command) return usageFailure(streams, new UsageError('missing command'));
  if (args.positionals.length < command.minArgs) {
    return usageFailure(streams, new UsageError(`missing argument ${command.synopsis.split(' ')[0] ?? ''}`.trimEnd(), command.name));
  }
  if (args.positionals.length > command.maxArgs) {
    return usageFailure(streams, new UsageError(`unexpected argument '${args.positionals[command.maxArgs] as string}'`, command.name));
  }
  const options: GlobalOptions = {
    namespace: (args.options.get('namespace') as string | undefined) ?? 'root\\cimv2',
    namespaceGiven: args.options.has('namespace'),
    backend: (args.options.get('backend') as BackendOption | undefined) ?? 'auto',
    repository: args.options.get('repository') as string | undefined,
    json: args.options.get('json') === true,
  };
  const ctx = new Context(options, streams);
  if (options.repository !== undefined && ctx.backend !== 'embedded') {
    return usageFailure(streams, new UsageError('--repository needs the embedded backend (--backend embedded)', command.name));
  }
  try {
    return await command.run(ctx, args);
  } catch (e) {
    if (e instanceof UsageError) return usageFailure(streams, e);
    streams.err.write(`wmi-put ${command.name}: ${describeError(e)}\n`);
    return 1;
  } finally {
    await ctx.close().catch((e: unknown) => {
      streams.err.write(`wmi-put: closing the repository failed: ${describeError(e)}\n`);
    });
  }
}

/** The executable's entry (bin/wmi-put.js). */
export function run(): void {
  // `wmi-put instances X | head`: a closed pipe ends the command quietly.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`wmi-put: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
