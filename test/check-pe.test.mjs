// scripts/check-pe.js against PE images built here byte by byte: one section
// holding the import descriptors, DLL names, thunks and hint/name entries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { inspectPe, checkPe } = require('../scripts/check-pe.js');

const SECTION_VA = 0x1000;
const SECTION_RAW = 0x200;

// imports: [{ dll, functions: [name | ordinal number] }]
function makePe({ imports, machine = 0x8664, characteristics = 0x2022, magic = 0x20b, delay = false }) {
  const buf = Buffer.alloc(SECTION_RAW + 0x1000);
  buf.write('MZ', 0, 'latin1');
  buf.writeUInt32LE(0x40, 0x3c);
  buf.writeUInt32LE(0x00004550, 0x40);
  buf.writeUInt16LE(machine, 0x44);
  buf.writeUInt16LE(1, 0x46); // one section
  buf.writeUInt16LE(0xf0, 0x54); // SizeOfOptionalHeader of PE32+
  buf.writeUInt16LE(characteristics, 0x56);
  const opt = 0x58;
  buf.writeUInt16LE(magic, opt);
  buf.writeUInt32LE(16, opt + 108);
  const sec = opt + 0xf0;
  buf.write('.idata', sec, 'latin1');
  buf.writeUInt32LE(0x1000, sec + 8);
  buf.writeUInt32LE(SECTION_VA, sec + 12);
  buf.writeUInt32LE(0x1000, sec + 16);
  buf.writeUInt32LE(SECTION_RAW, sec + 20);

  const descSize = delay ? 32 : 20;
  let cursor = (imports.length + 1) * descSize; // offset inside the section
  const alloc = (size) => {
    const at = cursor;
    cursor += (size + 7) & ~7;
    return at;
  };
  imports.forEach(({ dll, functions }, i) => {
    const nameAt = alloc(dll.length + 1);
    buf.write(dll, SECTION_RAW + nameAt, 'latin1');
    const thunksAt = alloc((functions.length + 1) * 8);
    functions.forEach((fn, j) => {
      let value;
      if (typeof fn === 'number') {
        value = 0x8000000000000000n | BigInt(fn);
      } else {
        const hintAt = alloc(2 + fn.length + 1);
        buf.write(fn, SECTION_RAW + hintAt + 2, 'latin1');
        value = BigInt(SECTION_VA + hintAt);
      }
      buf.writeBigUInt64LE(value, SECTION_RAW + thunksAt + j * 8);
    });
    const d = SECTION_RAW + i * descSize;
    if (delay) {
      buf.writeUInt32LE(1, d);
      buf.writeUInt32LE(SECTION_VA + nameAt, d + 4);
      buf.writeUInt32LE(SECTION_VA + thunksAt, d + 16);
    } else {
      buf.writeUInt32LE(SECTION_VA + thunksAt, d);
      buf.writeUInt32LE(SECTION_VA + nameAt, d + 12);
      buf.writeUInt32LE(SECTION_VA + thunksAt, d + 16);
    }
  });
  const dir = delay ? 13 : 1;
  buf.writeUInt32LE(SECTION_VA, opt + 112 + dir * 8);
  buf.writeUInt32LE((imports.length + 1) * descSize, opt + 116 + dir * 8);
  return buf;
}

const GOOD = [
  { dll: 'KERNEL32.dll', functions: ['CreateEventA', 'CloseHandle'] },
  { dll: 'msvcrt.dll', functions: ['malloc'] },
  { dll: 'node.exe', functions: ['napi_create_function', 'napi_define_properties'] },
  { dll: 'ole32.dll', functions: ['CoInitializeEx'] },
  { dll: 'OLEAUT32.dll', functions: [2, 'SysFreeString'] },
];

test('check-pe: parses DLL names and function names of the import table', () => {
  const info = inspectPe(makePe({ imports: GOOD }));
  assert.equal(info.machine, 0x8664);
  assert.equal(info.magic, 0x20b);
  assert.equal(info.isDll, true);
  assert.deepEqual(info.imports, [
    { dll: 'KERNEL32.dll', functions: ['CreateEventA', 'CloseHandle'], delay: false },
    { dll: 'msvcrt.dll', functions: ['malloc'], delay: false },
    { dll: 'node.exe', functions: ['napi_create_function', 'napi_define_properties'], delay: false },
    { dll: 'ole32.dll', functions: ['CoInitializeEx'], delay: false },
    { dll: 'OLEAUT32.dll', functions: ['#2', 'SysFreeString'], delay: false },
  ]);
});

test('check-pe: an x64 DLL importing only allowed DLLs and node.exe passes', () => {
  const r = checkPe(makePe({ imports: GOOD }));
  assert.deepEqual(r.problems, []);
  assert.equal(r.ok, true);
});

test('check-pe: DLL names match case-insensitively; UCRT api sets are allowed', () => {
  const r = checkPe(makePe({
    imports: [
      { dll: 'NODE.EXE', functions: ['napi_module_register'] },
      { dll: 'kernel32.dll', functions: ['Sleep'] },
      { dll: 'api-ms-win-crt-runtime-l1-1-0.dll', functions: ['_initterm'] },
    ],
  }));
  assert.deepEqual(r.problems, []);
});

test('check-pe: delay-loaded node.exe counts as importing node.exe', () => {
  const info = inspectPe(makePe({ imports: [{ dll: 'node.exe', functions: ['napi_get_undefined'] }], delay: true }));
  assert.deepEqual(info.imports, [{ dll: 'node.exe', functions: ['napi_get_undefined'], delay: true }]);
  assert.deepEqual(checkPe(makePe({ imports: [{ dll: 'node.exe', functions: ['x'] }], delay: true })).problems, []);
});

test('check-pe: a mingw runtime DLL import fails', () => {
  const r = checkPe(makePe({
    imports: [...GOOD, { dll: 'libstdc++-6.dll', functions: ['_ZdlPv'] }, { dll: 'libwinpthread-1.dll', functions: ['pthread_create'] }],
  }));
  assert.equal(r.ok, false);
  assert.deepEqual(r.problems, [
    'imports from libstdc++-6.dll, which is not allowed',
    'imports from libwinpthread-1.dll, which is not allowed',
  ]);
});

test('check-pe: no node.exe import fails', () => {
  const r = checkPe(makePe({ imports: GOOD.filter((i) => i.dll !== 'node.exe') }));
  assert.deepEqual(r.problems, ['does not import from node.exe']);
});

test('check-pe: wrong machine, missing DLL flag and PE32 are each reported', () => {
  assert.deepEqual(checkPe(makePe({ imports: GOOD, machine: 0x14c })).problems, ['machine is 0x14c, not x64 (0x8664)']);
  assert.deepEqual(checkPe(makePe({ imports: GOOD, characteristics: 0x0022 })).problems, ['IMAGE_FILE_DLL is not set']);
  assert.deepEqual(checkPe(makePe({ imports: GOOD, magic: 0x10b })).problems,
    ['optional header magic is 0x10b, not PE32+ (0x20b)']);
});

test('check-pe: non-PE and truncated input fail without throwing', () => {
  assert.deepEqual(checkPe(Buffer.from('\x7fELF' + '\0'.repeat(60), 'latin1')).problems, ['not a PE file: no MZ signature']);
  const pe = makePe({ imports: GOOD });
  assert.deepEqual(checkPe(pe.subarray(0, 0x50)).problems, ['truncated file: PE header at 0x40']);
  const r = checkPe(pe.subarray(0, SECTION_RAW + 8));
  assert.equal(r.ok, false);
  assert.match(r.problems[0], /^truncated file: /);
});
