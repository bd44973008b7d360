// The `wmi-put` command line: every case spawns `node bin/wmi-put.js` with
// --backend embedded and a repository file in a temp directory, and checks
// exit codes and exact output. The input reader, value formatting, default
// repository paths and the progress bar are also tested in process.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { CimDateTime, CimInterval } from '../lib';
import { defaultRepositoryPath } from '../lib/cli/context';
import { countRecords, parseJsonExact, readRecords, type InputRecord } from '../lib/cli/input';
import { formatObject, formatValue, toJsonValue } from '../lib/cli/output';
import { Progress, formatDuration } from '../lib/cli/progress';
import { checkLeaksAtEnd } from './leak-check';

// Every live counter of the addon is back at its start value once this file is done.
checkLeaksAtEnd();

const repoRoot = path.resolve(__dirname, '..', '..');
const bin = path.join(repoRoot, 'bin', 'wmi-put.js');
const version = (JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wmi-put-cli-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

let repoCounter = 0;
/** A fresh repository file for one test. */
function freshRepo(): string {
  return path.join(tmp, `repo-${++repoCounter}`, 'repository.wmirepo');
}

function cli(args: string[], options: { repo?: string; input?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): Run {
  const full = options.repo === undefined ? args : [...args, '--backend', 'embedded', '--repository', options.repo];
  const r = spawnSync(process.execPath, [bin, ...full], {
    cwd: options.cwd ?? tmp,
    encoding: 'utf8',
    input: options.input ?? '',
    env: { ...process.env, XDG_DATA_HOME: path.join(tmp, 'xdg'), WMI_PUT_REPOSITORY: '', ...options.env },
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A run's status and output, for exact comparisons. */
function plain(r: Run): Run {
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function write(name: string, text: string): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return file;
}

const itemClass = {
  name: 'Cli_Item',
  qualifiers: { Description: 'CLI test items' },
  properties: {
    Name: { type: 'string', key: true },
    Size: { type: 'uint64' },
    Seen: { type: 'datetime' },
    Tags: { type: 'string', array: true },
    Count: { type: 'uint32' },
  },
};
write('def.json', JSON.stringify(itemClass));
const goodLines = [
  '{"Name":"a","Size":18446744073709551615,"Seen":"20240131235959.123456-300","Tags":["x","y"],"Count":1}',
  '{"Name":"b","Size":"9223372036854775808","Count":2}',
  '',
  '{"Name":"c","Size":9007199254740993,"Tags":[]}',
  '{"Name":"d","Count":null}',
  '{"Name":"e","__CLASS":"Cli_Item","__RELPATH":"ignored"}',
];
write('good.ndjson', `${goodLines.join('\n')}\n`);

const commandNames = ['put', 'get', 'delete', 'instances', 'classes', 'class', 'namespaces', 'mof'];

describe('CLI: help, version and usage errors', () => {
  it('wmi-put --help lists every command; exit 0, nothing on stderr', () => {
    for (const args of [['--help'], ['-h'], ['help']]) {
      const r = cli(args);
      assert.equal(r.status, 0);
      assert.equal(r.stderr, '');
      assert.match(r.stdout, /^usage: wmi-put <command> \[arguments\] \[options\]\n/);
      for (const name of commandNames) assert.match(r.stdout, new RegExp(`\\n  ${name} +\\S`), name);
    }
  });

  it('<command> --help and help <command> describe the command', () => {
    for (const name of commandNames) {
      for (const args of [[name, '--help'], ['help', name], [name, '-h']]) {
        const r = cli(args);
        assert.equal(r.status, 0, args.join(' '));
        assert.equal(r.stderr, '');
        assert.ok(r.stdout.startsWith(`usage: wmi-put ${name}`), r.stdout.split('\n')[0]);
        assert.match(r.stdout, /\nglobal options:\n  -n, --namespace <ns> /);
      }
    }
    assert.match(cli(['put', '--help']).stdout, /\n  -f, --file <path> +the items \(required\)\n/);
    assert.match(cli(['mof', '--help']).stdout, /\n  -I, --include <dir> +also look for #pragma include files in <dir>\n/);
  });

  it('--version prints the package version', () => {
    const r = cli(['--version']);
    assert.deepEqual([r.status, r.stdout, r.stderr], [0, `${version}\n`, '']);
  });

  const usageCases: [string[], string][] = [
    [[], "wmi-put: missing command\nTry 'wmi-put --help' for more information.\n"],
    [['frob'], "wmi-put: unknown command 'frob'\nTry 'wmi-put --help' for more information.\n"],
    [['--frob'], "wmi-put: unknown option --frob\nTry 'wmi-put --help' for more information.\n"],
    [['put', 'X', '--bogus'], "wmi-put put: unknown option --bogus\nTry 'wmi-put put --help' for more information.\n"],
    [['put', 'X', '--bogus=1'], "wmi-put put: unknown option --bogus\nTry 'wmi-put put --help' for more information.\n"],
    [['put', 'X'], "wmi-put put: missing --file <path>\nTry 'wmi-put put --help' for more information.\n"],
    [['put', '--file', 'x.ndjson'], "wmi-put put: missing argument <class>\nTry 'wmi-put put --help' for more information.\n"],
    [['get'], "wmi-put get: missing argument <path>\nTry 'wmi-put get --help' for more information.\n"],
    [['get', 'a', 'b'], "wmi-put get: unexpected argument 'b'\nTry 'wmi-put get --help' for more information.\n"],
    [['classes', 'x'], "wmi-put classes: unexpected argument 'x'\nTry 'wmi-put classes --help' for more information.\n"],
    [['mof'], "wmi-put mof: missing argument <file.mof...>\nTry 'wmi-put mof --help' for more information.\n"],
    [
      ['put', 'X', '-f', 'x', '--mode', 'sometimes'],
      "wmi-put put: --mode must be createOrUpdate, createOnly or updateOnly (got 'sometimes')\nTry 'wmi-put put --help' for more information.\n",
    ],
    [
      ['put', 'X', '-f', 'x', '--concurrency', 'many'],
      "wmi-put put: --concurrency needs a non-negative integer (got 'many')\nTry 'wmi-put put --help' for more information.\n",
    ],
    [['put', 'X', '-f', 'x', '-c', '0'], "wmi-put put: --concurrency must be at least 1\nTry 'wmi-put put --help' for more information.\n"],
    [['put', 'X', '-f', 'x', '--update', 'safe'], "wmi-put put: --update goes with --define\nTry 'wmi-put put --help' for more information.\n"],
    [['get', '--namespace'], "wmi-put get: --namespace needs a value <ns>\nTry 'wmi-put get --help' for more information.\n"],
    [['classes', '--json=yes'], "wmi-put classes: --json takes no value\nTry 'wmi-put classes --help' for more information.\n"],
    [
      ['classes', '--backend', 'cloud'],
      "wmi-put classes: --backend must be auto, wmi or embedded (got 'cloud')\nTry 'wmi-put classes --help' for more information.\n",
    ],
    [
      ['classes', '--backend', 'wmi', '--repository', 'r.wmirepo'],
      "wmi-put classes: --repository needs the embedded backend (--backend embedded)\nTry 'wmi-put classes --help' for more information.\n",
    ],
    [['class', 'put'], "wmi-put class: class put needs --file <definition.json|file.mof>\nTry 'wmi-put class --help' for more information.\n"],
    [['class', 'X', '--update', 'safe'], "wmi-put class: --file, --update and --mode go with class put\nTry 'wmi-put class --help' for more information.\n"],
  ];
  for (const [args, message] of usageCases) {
    it(`exit 2: wmi-put ${args.join(' ')}`, () => {
      const r = cli(args);
      assert.deepEqual([r.status, r.stdout, r.stderr], [2, '', message]);
    });
  }
});

/** The error lines of a put, sorted by line number (completions arrive in any order). */
function errorLines(stderr: string): string[] {
  const lines = stderr.split('\n').filter((l) => /^\S+:\d+: /.test(l));
  const lineNo = (l: string): number => Number(/^\S+:(\d+):/.exec(l)?.[1]);
  return lines.sort((a, b) => lineNo(a) - lineNo(b));
}

describe('CLI: put', () => {
  it('NDJSON with --define: every line written (blank lines skipped), exit 0', () => {
    const r = cli(['put', 'Cli_Item', '--define', 'def.json', '--file', 'good.ndjson'], { repo: freshRepo() });
    assert.equal(r.stderr, '');
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^Cli_Item: 5 written, 0 failed in \d+\.\d\d s \([\d,]+\/s\)\n$/);
  });

  it('a JSON array (elements over several lines), --json summary', () => {
    write('items.json', '[\n  {"Name": "a",\n   "Count": 1},\n  {"Name": "b", "Size": 18446744073709551615},\n  {"Name": "c"}\n]\n');
    const r = cli(['put', 'Cli_Item', '-d', 'def.json', '-f', 'items.json', '--json'], { repo: freshRepo() });
    assert.equal(r.stderr, '');
    assert.equal(r.status, 0);
    const summary = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.deepEqual(
      { ...summary, seconds: 0 },
      { class: 'Cli_Item', namespace: 'root\\cimv2', written: 3, failed: 0, interrupted: false, seconds: 0, errors: [], errorsOmitted: 0 },
    );
  });

  const badFile = [
    '{"Name":"a","Count":1}',
    '{"Name":"b","Size":-1}',
    '{"Name":"c"}',
    '{"Name":"d", oops}',
    '{"Name":"e","Nope":1}',
    '{"Name":"f","Tags":["t"]}',
  ];
  write('bad.ndjson', `${badFile.join('\n')}\n`);
  const expectedErrors = [
    "bad.ndjson:2: WBEM_E_TYPE_MISMATCH (0x80041005): -1 is out of range for uint64 (property 'Size')",
    "bad.ndjson:4: WBEM_E_INVALID_PARAMETER (0x80041008): invalid JSON: Expected double-quoted property name in JSON at position 13",
    "bad.ndjson:5: WBEM_E_NOT_FOUND (0x80041002): the class has no property Nope (property 'Nope')",
  ];

  it('3 bad lines: exit 1, each printed with its line number, code and description', () => {
    const r = cli(['put', 'Cli_Item', '--define', 'def.json', '--file', 'bad.ndjson'], { repo: freshRepo() });
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^Cli_Item: 3 written, 3 failed in /);
    assert.deepEqual(errorLines(r.stderr), expectedErrors);
    assert.equal(r.stderr.split('\n').filter(Boolean).length, 3, r.stderr);
  });

  it('3 bad lines with --json: the summary lists them (line, code, hresult, description, property)', () => {
    const r = cli(['put', 'Cli_Item', '--define', 'def.json', '--file', 'bad.ndjson', '--json', '--concurrency', '1'], { repo: freshRepo() });
    assert.equal(r.status, 1);
    const summary = JSON.parse(r.stdout) as { written: number; failed: number; errors: Record<string, unknown>[] };
    assert.equal(summary.written, 3);
    assert.equal(summary.failed, 3);
    const errors = [...summary.errors].sort((a, b) => (a.line as number) - (b.line as number));
    assert.deepEqual(errors, [
      { line: 2, code: 'WBEM_E_TYPE_MISMATCH', hresult: '0x80041005', description: '-1 is out of range for uint64', property: 'Size' },
      {
        line: 4,
        code: 'WBEM_E_INVALID_PARAMETER',
        hresult: '0x80041008',
        description: "invalid JSON: Expected double-quoted property name in JSON at position 13",
      },
      { line: 5, code: 'WBEM_E_NOT_FOUND', hresult: '0x80041002', description: 'the class has no property Nope', property: 'Nope' },
    ]);
  });

  it('--mode createOnly: a repeated key fails with WBEM_E_ALREADY_EXISTS at its line', () => {
    write('dup.ndjson', '{"Name":"a"}\n{"Name":"b"}\n{"Name":"a","Count":2}\n');
    const r = cli(['put', 'Cli_Item', '-d', 'def.json', '-f', 'dup.ndjson', '--mode', 'createOnly', '-c', '1'], { repo: freshRepo() });
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^Cli_Item: 2 written, 1 failed /);
    assert.deepEqual(errorLines(r.stderr), ['dup.ndjson:3: WBEM_E_ALREADY_EXISTS (0x80041019): The instance already exists.']);
  });

  it('--mode updateOnly: a missing instance fails with WBEM_E_NOT_FOUND', () => {
    write('upd.ndjson', '{"Name":"zz"}\n');
    const r = cli(['put', 'Cli_Item', '-d', 'def.json', '-f', 'upd.ndjson', '--mode', 'updateOnly'], { repo: freshRepo() });
    assert.equal(r.status, 1);
    assert.deepEqual(errorLines(r.stderr), ['upd.ndjson:1: WBEM_E_NOT_FOUND (0x80041002): The instance does not exist.']);
  });

  it('items that are not objects, and JSON array structure errors, are reported by line', () => {
    write('shapes.json', '[\n{"Name":"a"},\n5,\n[1],\n{"Name":"b"},\n]\n');
    const r = cli(['put', 'Cli_Item', '-d', 'def.json', '-f', 'shapes.json'], { repo: freshRepo() });
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^Cli_Item: 2 written, 3 failed /);
    assert.deepEqual(errorLines(r.stderr), [
      'shapes.json:3: WBEM_E_INVALID_PARAMETER (0x80041008): the item is not a JSON object',
      'shapes.json:4: WBEM_E_INVALID_PARAMETER (0x80041008): the item is not a JSON object',
      'shapes.json:6: WBEM_E_INVALID_PARAMETER (0x80041008): invalid JSON: trailing comma before ]',
    ]);
  });

  it('reads stdin with --file -', () => {
    const r = cli(['put', 'Cli_Item', '-d', 'def.json', '-f', '-'], { repo: freshRepo(), input: '{"Name":"s1"}\n{"Name":"s2"}\n{"Name":3}\n' });
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^Cli_Item: 2 written, 1 failed /);
    assert.deepEqual(errorLines(r.stderr), ["stdin:3: WBEM_E_TYPE_MISMATCH (0x80041005): cannot convert a number to string (property 'Name')"]);
  });

  it('20,000 lines: exact count, no progress lines with --no-progress', () => {
    const lines: string[] = [];
    for (let i = 0; i < 20_000; i++) lines.push(JSON.stringify({ Name: `n${i}`, Count: i, Size: String(2n ** 63n + BigInt(i)) }));
    write('many.ndjson', `${lines.join('\n')}\n`);
    const r = cli(['put', 'Cli_Item', '-d', 'def.json', '-f', 'many.ndjson', '--no-progress'], { repo: freshRepo() });
    assert.equal(r.stderr, '');
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^Cli_Item: 20000 written, 0 failed /);
  });

  it('a class that does not exist: exit 1 before reading any item', () => {
    const r = cli(['put', 'Cli_Missing', '-f', 'good.ndjson'], { repo: freshRepo() });
    assert.deepEqual([r.status, r.stdout], [1, '']);
    assert.equal(r.stderr, 'wmi-put put: class Cli_Missing: WBEM_E_NOT_FOUND (0x80041002): The object, class or namespace does not exist.\n');
  });

  it('a file that does not exist: exit 1', () => {
    const r = cli(['put', 'Cli_Item', '-f', 'nothing.ndjson'], { repo: freshRepo() });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^wmi-put put: cannot read nothing\.ndjson: ENOENT/);
  });

  it('class put --file writes JSON definitions; a .mof file is compiled', () => {
    const repo = freshRepo();
    const r = cli(['class', 'put', '--file', 'def.json'], { repo });
    assert.deepEqual([r.status, r.stdout, r.stderr], [0, 'Cli_Item: written\n', '']);
    const j = cli(['class', 'put', '--file', 'def.json', '--json', '--update', 'force'], { repo });
    assert.equal(j.status, 0);
    assert.deepEqual(JSON.parse(j.stdout), { classes: [{ name: 'Cli_Item' }], written: 1, failed: 0 });
    write('broken-def.json', JSON.stringify({ name: 'Cli_Broken', properties: { Name: { type: 'strung', key: true } } }));
    const b = cli(['class', 'put', '--file', 'broken-def.json'], { repo });
    assert.equal(b.status, 1);
    assert.match(b.stderr, /^wmi-put class put: class Cli_Broken: WBEM_E_\w+ \(0x8004\w{4}\): /);
  });
});

describe('CLI: reading (the system objects of a fresh repository)', () => {
  it('a durable repository: nothing on stderr', () => {
    const r = cli(['namespaces'], { repo: freshRepo() });
    assert.equal(r.status, 0);
    assert.equal(r.stderr, '');
  });

  it('namespaces', () => {
    const repo = freshRepo();
    assert.deepEqual(plain(cli(['namespaces'], { repo })), { status: 0, stdout: 'root\nroot\\cimv2\nroot\\default\n', stderr: '' });
    const j = cli(['namespaces', '--json'], { repo });
    assert.deepEqual(JSON.parse(j.stdout), ['root', 'root\\cimv2', 'root\\default']);
  });

  it('class <name>: MOF, and the ClassDefinition with --json', () => {
    const repo = freshRepo();
    const r = cli(['class', '__NAMESPACE'], { repo });
    assert.deepEqual(plain(r), { status: 0, stdout: 'class __NAMESPACE : __SystemClass\n{\n    [Key]\n    string Name;\n};\n', stderr: '' });
    const j = cli(['class', '__NAMESPACE', '--json'], { repo });
    assert.deepEqual(JSON.parse(j.stdout), { name: '__NAMESPACE', superclass: '__SystemClass', properties: { Name: { type: 'string', key: true } } });
    const missing = cli(['class', 'Cli_Missing'], { repo });
    assert.deepEqual(plain(missing), {
      status: 1,
      stdout: '',
      stderr: 'wmi-put class: WBEM_E_NOT_FOUND (0x80041002): The object, class or namespace does not exist.\n',
    });
  });

  it('classes: sorted names, system classes only with --system or a system superclass', () => {
    const repo = freshRepo();
    assert.deepEqual(plain(cli(['classes'], { repo })), { status: 0, stdout: '', stderr: '' });
    assert.deepEqual(plain(cli(['classes', '--system'], { repo })), { status: 0, stdout: '__SystemClass\n', stderr: '' });
    assert.deepEqual(plain(cli(['classes', '--superclass', '__SystemClass'], { repo })), {
      status: 0,
      stdout:
        '__CacheControl\n__Event\n__IndicationRelated\n__NAMESPACE\n__NotifyStatus\n__Provider\n' +
        '__ProviderRegistration\n__SystemSecurity\n__thisNAMESPACE\n',
      stderr: '',
    });
    const deep = cli(['classes', '--system', '--deep', '--json'], { repo });
    const defs = JSON.parse(deep.stdout) as { name: string }[];
    assert.equal(defs.length, 36);
    assert.ok(defs.some((d) => d.name === '__NAMESPACE'));
  });

  it('instances, instances --paths, --json', () => {
    const repo = freshRepo();
    assert.deepEqual(plain(cli(['instances', '__NAMESPACE', '-n', 'root'], { repo })), {
      status: 0,
      stdout: '__NAMESPACE.Name="cimv2"\n  Name = "cimv2"\n__NAMESPACE.Name="default"\n  Name = "default"\n',
      stderr: '',
    });
    assert.equal(cli(['instances', '__NAMESPACE', '--namespace', 'root', '--paths'], { repo }).stdout, '__NAMESPACE.Name="cimv2"\n__NAMESPACE.Name="default"\n');
    const j = JSON.parse(cli(['instances', '__NAMESPACE', '-n', 'root', '--json'], { repo }).stdout) as Record<string, unknown>[];
    assert.deepEqual(
      j.map((o) => [o.Name, o.__CLASS, o.__RELPATH, o.__NAMESPACE]),
      [
        ['cimv2', '__NAMESPACE', '__NAMESPACE.Name="cimv2"', 'root'],
        ['default', '__NAMESPACE', '__NAMESPACE.Name="default"', 'root'],
      ],
    );
    assert.deepEqual(JSON.parse(cli(['instances', '__NAMESPACE', '--json'], { repo }).stdout), []);
    const missing = cli(['instances', 'Cli_Missing'], { repo });
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /^wmi-put instances: WBEM_E_(INVALID_CLASS|NOT_FOUND) \(0x8004\w{4}\): /);
  });

  it('get <path>: plain and --json; not found is exit 1', () => {
    const repo = freshRepo();
    assert.deepEqual(plain(cli(['get', '__NAMESPACE.Name="cimv2"', '-n', 'root'], { repo })), {
      status: 0,
      stdout: '__NAMESPACE.Name="cimv2"\n  Name = "cimv2"\n',
      stderr: '',
    });
    const j = JSON.parse(cli(['get', '__NAMESPACE.Name="default"', '-n', 'root', '--json'], { repo }).stdout) as Record<string, unknown>;
    assert.equal(j.Name, 'default');
    assert.equal(j.__CLASS, '__NAMESPACE');
    assert.equal(j.__GENUS, 2);
    assert.deepEqual(j.__DERIVATION, ['__SystemClass']);
    assert.equal(j.__RELPATH, '__NAMESPACE.Name="default"');
    const missing = cli(['get', '__NAMESPACE.Name="nope"', '-n', 'root'], { repo });
    assert.deepEqual(plain(missing), {
      status: 1,
      stdout: '',
      stderr: 'wmi-put get: WBEM_E_NOT_FOUND (0x80041002): The object, class or namespace does not exist.\n',
    });
    const badNamespace = cli(['get', 'X.Name="a"', '-n', 'root\\nothing'], { repo });
    assert.equal(badNamespace.status, 1);
    assert.match(badNamespace.stderr, /^wmi-put get: WBEM_E_INVALID_NAMESPACE \(0x8004100E\): /);
  });

  it('delete <path>: exit 0, then 1 for an object that does not exist', () => {
    const repo = freshRepo();
    const missing = cli(['delete', 'Cli_Item.Name="x"'], { repo });
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /^wmi-put delete: WBEM_E_INVALID_CLASS \(0x80041010\): /);
    assert.deepEqual(plain(cli(['delete', '__NAMESPACE.Name="default"', '-n', 'root'], { repo })), {
      status: 0,
      stdout: 'deleted __NAMESPACE.Name="default"\n',
      stderr: '',
    });
    const j = cli(['delete', '__NAMESPACE.Name="cimv2"', '-n', 'root', '--json'], { repo });
    assert.deepEqual(JSON.parse(j.stdout), { deleted: '__NAMESPACE.Name="cimv2"', class: false });
    // Deleted for good: the repository file keeps it.
    const again = cli(['delete', '__NAMESPACE.Name="cimv2"', '-n', 'root'], { repo });
    assert.equal(again.status, 1);
    assert.match(again.stderr, /^wmi-put delete: WBEM_E_NOT_FOUND \(0x80041002\): /);
  });
});

describe('CLI: mof', () => {
  write('small.mof', 'class Cli_Mof\n{\n  [key] string Name;\n  uint64 Size;\n};\n\ninstance of Cli_Mof { Name = "a"; Size = 18446744073709551615; };\n');
  write('bad.mof', 'class Cli_Bad { [key] string Name; uint8 Small = 256; };\n');

  it('compiles a small file (root\\default unless --namespace)', () => {
    const repo = freshRepo();
    for (const extra of [[], ['-n', 'root\\cimv2']]) {
      const r = cli(['mof', 'small.mof', ...extra], { repo });
      assert.deepEqual(plain(r), { status: 0, stdout: 'classes: 1 created, 0 updated, 0 failed; instances: 1 created, 0 updated, 0 failed\n', stderr: '' });
    }
    const dry = cli(['mof', '--dry-run', 'small.mof'], { repo });
    assert.deepEqual(plain(dry), { status: 0, stdout: 'checked 1 file(s): 1 classes, 1 instances (dry run, nothing written)\n', stderr: '' });
    const j = JSON.parse(cli(['mof', 'small.mof', '--json'], { repo: freshRepo() }).stdout) as Record<string, unknown>;
    assert.deepEqual(j.classes, { created: 1, updated: 0, failed: 0 });
    assert.deepEqual(j.instances, { created: 1, updated: 0, failed: 0, valueOnly: 0 });
    assert.deepEqual(j.errors, []);
  });

  it('a MOF error: exit 2, file:line:column on stderr, nothing written', () => {
    const r = cli(['mof', 'bad.mof'], { repo: freshRepo() });
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.ok(
      r.stderr.startsWith(`${path.join(tmp, 'bad.mof')}:1:50: error: property 'Small': 256 is out of range for uint8 (0..255)\n`),
      r.stderr,
    );
  });
});

describe('CLI: data kept between commands (durable repository)', () => {
  it('put in one process, read back in others: get, --json (bigints as strings), instances, class, classes, delete', () => {
    const repo = freshRepo();
    const put = cli(['put', 'Cli_Item', '--define', 'def.json', '--file', 'good.ndjson'], { repo });
    assert.equal(put.status, 0, put.stderr);
    assert.deepEqual(plain(cli(['get', 'Cli_Item.Name="a"'], { repo })), {
      status: 0,
      stdout:
        'Cli_Item.Name="a"\n  Name = "a"\n  Size = 18446744073709551615\n  Seen = 20240131235959.123456-300\n  Tags = {"x", "y"}\n  Count = 1\n',
      stderr: '',
    });
    const j = JSON.parse(cli(['get', 'Cli_Item.Name="a"', '--json'], { repo }).stdout) as Record<string, unknown>;
    assert.equal(j.Size, '18446744073709551615');
    assert.equal(j.Seen, '20240131235959.123456-300');
    assert.deepEqual(j.Tags, ['x', 'y']);
    assert.equal(j.Count, 1);
    const b = JSON.parse(cli(['get', 'Cli_Item.Name="b"', '--json'], { repo }).stdout) as Record<string, unknown>;
    assert.deepEqual([b.Size, b.Seen, b.Tags], ['9223372036854775808', null, null]);
    const c = JSON.parse(cli(['get', 'Cli_Item.Name="c"', '--json'], { repo }).stdout) as Record<string, unknown>;
    assert.deepEqual([c.Size, c.Tags], ['9007199254740993', []]);
    assert.equal(
      cli(['instances', 'Cli_Item', '--paths'], { repo }).stdout.split('\n').filter(Boolean).sort().join('\n'),
      ['a', 'b', 'c', 'd', 'e'].map((n) => `Cli_Item.Name="${n}"`).join('\n'),
    );
    assert.equal(cli(['classes'], { repo }).stdout, 'Cli_Item\n');
    assert.match(cli(['class', 'Cli_Item'], { repo }).stdout, /^\[Description\("CLI test items"\) : Restricted\]\nclass Cli_Item\n\{\n    \[Key\]\n    string Name;\n/);
    assert.deepEqual(plain(cli(['delete', 'Cli_Item.Name="a"'], { repo })), { status: 0, stdout: 'deleted Cli_Item.Name="a"\n', stderr: '' });
    assert.equal(cli(['get', 'Cli_Item.Name="a"'], { repo }).status, 1);
    assert.deepEqual(plain(cli(['delete', '--class', 'Cli_Item'], { repo })), { status: 0, stdout: 'deleted Cli_Item\n', stderr: '' });
    assert.equal(cli(['classes'], { repo }).stdout, '');
  });

  it('instances --json output can be put back (round trip through another repository)', () => {
    const from = freshRepo();
    assert.equal(cli(['put', 'Cli_Item', '-d', 'def.json', '-f', 'good.ndjson'], { repo: from }).status, 0);
    const dump = cli(['instances', 'Cli_Item', '--json'], { repo: from }).stdout;
    write('dump.json', dump);
    const to = freshRepo();
    const r = cli(['put', 'Cli_Item', '-d', 'def.json', '-f', 'dump.json'], { repo: to });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Cli_Item: 5 written, 0 failed /);
    assert.equal(
      cli(['get', 'Cli_Item.Name="a"', '--json'], { repo: to }).stdout,
      cli(['get', 'Cli_Item.Name="a"', '--json'], { repo: from }).stdout,
    );
  });

  it('without --repository: the file in $XDG_DATA_HOME/wmi-put is shared by successive commands', () => {
    // Every OS's variable points into the temp directory (HOME for macOS).
    const home = path.join(tmp, 'home');
    const env = { XDG_DATA_HOME: path.join(tmp, 'xdg-shared'), LOCALAPPDATA: path.join(tmp, 'local-app-data'), HOME: home, USERPROFILE: home };
    const put = cli(['put', 'Cli_Item', '-d', 'def.json', '-f', 'good.ndjson', '--backend', 'embedded'], { env });
    assert.equal(put.status, 0, put.stderr);
    assert.ok(fs.existsSync(defaultRepositoryPath(env, process.platform, home)));
    assert.equal(cli(['get', 'Cli_Item.Name="d"', '--backend', 'embedded'], { env }).stdout, 'Cli_Item.Name="d"\n  Name = "d"\n  Size = NULL\n  Seen = NULL\n  Tags = NULL\n  Count = NULL\n');
  });
});

describe('CLI internals: input reader', () => {
  it('parseJsonExact keeps integers beyond 2^53 exact and leaves everything else to JSON.parse', () => {
    assert.deepEqual(
      parseJsonExact('{"a":18446744073709551615,"b":"12345678901234567890","c":-9223372036854775808,"d":1.2345678901234567,"e":9007199254740991,"f":[12345678901234567, 1e400, "x\\"1234567890123456789"]}'),
      {
        a: 18446744073709551615n,
        b: '12345678901234567890',
        c: -9223372036854775808n,
        d: 1.2345678901234567,
        e: 9007199254740991,
        f: [12345678901234567n, Infinity, 'x"1234567890123456789'],
      },
    );
    assert.throws(() => parseJsonExact('{"a": 12345678901234567890,}'), SyntaxError);
  });

  async function records(text: string): Promise<InputRecord[]> {
    const file = write('records.tmp', text);
    const out: InputRecord[] = [];
    for await (const r of readRecords(file)) out.push(r);
    return out;
  }

  it('NDJSON: line numbers count blank lines; CRLF and a BOM are accepted', async () => {
    assert.deepEqual(await records('\ufeff{"a":1}\r\n\r\n{"a":2}\n  \n{"a":3}'), [
      { line: 1, value: { a: 1 } },
      { line: 3, value: { a: 2 } },
      { line: 5, value: { a: 3 } },
    ]);
    const bad = await records('{"a":1}\n{"a":\n');
    assert.equal(bad[1]?.line, 2);
    assert.match(bad[1]?.error ?? '', /^invalid JSON: /);
  });

  it('JSON array: each element with the line it starts on; strings with brackets and commas; errors', async () => {
    assert.deepEqual(await records(' [ {"a": "],{["},\n {"b":\n  [1, 2]}, {"c": "\\""}\n]\n'), [
      { line: 1, value: { a: '],{[' } },
      { line: 2, value: { b: [1, 2] } },
      { line: 3, value: { c: '"' } },
    ]);
    assert.deepEqual(await records('[]'), []);
    assert.deepEqual(await records('[{"a":1},,{"a":2}]'), [
      { line: 1, value: { a: 1 } },
      { line: 1, error: 'invalid JSON: missing array element' },
      { line: 1, value: { a: 2 } },
    ]);
    assert.deepEqual(await records('[{"a":1},\n{"a":2}\n'), [
      { line: 1, value: { a: 1 } },
      { line: 2, error: 'invalid JSON: unexpected end of file inside the array' },
    ]);
    assert.deepEqual(await records('[{"a":1}]\nx'), [
      { line: 1, value: { a: 1 } },
      { line: 2, error: 'invalid JSON: content after the closing ]' },
    ]);
  });

  it('a JSON array split across many read chunks (1 MiB each) keeps every element', async () => {
    const items: string[] = [];
    for (let i = 0; i < 30_000; i++) items.push(JSON.stringify({ Name: `n${i}`, Pad: 'x'.repeat(40), Big: `${2n ** 64n - 1n}` }));
    const file = write('chunks.json', `[${items.join(',\n')}]`);
    assert.ok(fs.statSync(file).size > 2 * 1024 * 1024);
    let n = 0;
    for await (const r of readRecords(file)) {
      assert.equal(r.line, n + 1);
      assert.equal((r.value as { Name: string }).Name, `n${n}`);
      n++;
    }
    assert.equal(n, 30_000);
    assert.equal(await countRecords(file), 30_000);
    assert.equal(await countRecords(file, 1024), undefined, 'files above the limit are not counted');
  });
});

describe('CLI internals: output, paths, progress', () => {
  it('plain and JSON values are exact', () => {
    const dt = CimDateTime.parse('20240131235959.123456-300');
    const iv = CimInterval.parse('00000001020304.000005:000');
    assert.equal(formatValue(2n ** 64n - 1n), '18446744073709551615');
    assert.equal(formatValue(dt), '20240131235959.123456-300');
    assert.equal(formatValue(iv), '00000001020304.000005:000');
    assert.equal(formatValue(null), 'NULL');
    assert.equal(formatValue('a"b'), '"a\\"b"');
    assert.equal(formatValue([1, true, 'x']), '{1, TRUE, "x"}');
    assert.equal(formatValue({ __CLASS: 'E', A: 1, B: 'x' }), 'instance of E {A = 1; B = "x";}');
    assert.deepEqual(toJsonValue({ a: 2n ** 63n, b: [dt, iv, null], c: { __CLASS: 'E', d: -1n } }), {
      a: '9223372036854775808',
      b: ['20240131235959.123456-300', '00000001020304.000005:000', null],
      c: { __CLASS: 'E', d: '-1' },
    });
    assert.equal(formatObject({ __RELPATH: 'X.K=1', __CLASS: 'X', K: 1, S: null }), 'X.K=1\n  K = 1\n  S = NULL\n');
  });

  it('the default repository file per OS', () => {
    assert.equal(defaultRepositoryPath({}, 'linux', '/home/u'), '/home/u/.local/share/wmi-put/repository.wmirepo');
    assert.equal(defaultRepositoryPath({ XDG_DATA_HOME: '/data' }, 'linux', '/home/u'), '/data/wmi-put/repository.wmirepo');
    assert.equal(defaultRepositoryPath({ XDG_DATA_HOME: 'relative' }, 'linux', '/home/u'), '/home/u/.local/share/wmi-put/repository.wmirepo');
    assert.equal(defaultRepositoryPath({}, 'darwin', '/Users/u'), '/Users/u/Library/Application Support/wmi-put/repository.wmirepo');
    assert.equal(defaultRepositoryPath({ LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'win32', 'C:\\Users\\u'), 'C:\\Users\\u\\AppData\\Local\\wmi-put\\repository.wmirepo');
    assert.equal(defaultRepositoryPath({}, 'win32', 'C:\\Users\\u'), 'C:\\Users\\u\\AppData\\Local\\wmi-put\\repository.wmirepo');
    assert.equal(defaultRepositoryPath({ WMI_PUT_REPOSITORY: '/x/r.wmirepo' }, 'linux', '/home/u'), '/x/r.wmirepo');
  });

  function fakeStream(isTTY: boolean): { stream: { write: (s: string) => boolean; once: () => void; isTTY: boolean; columns: number }; text: () => string } {
    let text = '';
    return { stream: { write: (s: string) => ((text += s), true), once: () => undefined, isTTY, columns: 120 }, text: () => text };
  }

  it('progress on a TTY: a redrawn bar with count, percentage, rate, ETA and errors', () => {
    const { stream, text } = fakeStream(true);
    const p = new Progress(stream, { total: 200, tty: true, label: 'items' });
    p.update(100, 2);
    p.log('x.ndjson:7: WBEM_E_TYPE_MISMATCH');
    p.finish();
    const out = text();
    assert.match(out, /x\.ndjson:7: WBEM_E_TYPE_MISMATCH\n/);
    assert.match(out, /\r\[#{15}-{15}\] 100\/200 items \(50%\) {2}[\d,]+\/s {2}ETA \d+:\d\d {2}errors 2\x1b\[K\n$/);
  });

  it('progress without a TTY: plain lines every interval, nothing redrawn', async () => {
    const { stream, text } = fakeStream(false);
    const p = new Progress(stream, { tty: false, label: 'items', intervalMs: 10 });
    p.update(5, 0);
    await new Promise((r) => setTimeout(r, 20));
    p.update(10, 1);
    p.finish();
    assert.match(text(), /^10 items {2}[\d,]+\/s {2}errors 1\n$/);
    assert.equal(formatDuration(3725), '1:02:05');
    assert.equal(formatDuration(65), '1:05');
  });
});
