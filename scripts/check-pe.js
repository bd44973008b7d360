#!/usr/bin/env node
// Checks a Windows addon build: the file must be a PE32+ x64 DLL whose import
// table names only node.exe (required), KERNEL32.dll, msvcrt.dll or the UCRT
// api-ms-win-crt-* sets, ole32.dll and OLEAUT32.dll. Anything else (say
// libstdc++-6.dll or libwinpthread-1.dll) would make the addon fail to load on
// a machine without mingw-w64. Plain JS, no objdump.
//
//   node scripts/check-pe.js <file.node> [--verbose]
'use strict';

const fs = require('node:fs');

const IMAGE_FILE_MACHINE_AMD64 = 0x8664;
const IMAGE_FILE_DLL = 0x2000;
const PE32PLUS_MAGIC = 0x20b;
const DIR_IMPORT = 1;
const DIR_DELAY_IMPORT = 13;

const ALLOWED = [/^node\.exe$/i, /^kernel32\.dll$/i, /^msvcrt\.dll$/i, /^api-ms-win-crt-[a-z0-9-]+\.dll$/i,
  /^ole32\.dll$/i, /^oleaut32\.dll$/i];

class PeError extends Error {}

// Parses the headers and the (delay-)import tables of a PE image held in `buf`.
function inspectPe(buf) {
  const need = (off, len, what) => {
    if (off < 0 || off + len > buf.length) throw new PeError(`truncated file: ${what} at 0x${off.toString(16)}`);
  };
  need(0, 64, 'DOS header');
  if (buf.toString('latin1', 0, 2) !== 'MZ') throw new PeError('not a PE file: no MZ signature');
  const peOff = buf.readUInt32LE(0x3c);
  need(peOff, 24, 'PE header');
  if (buf.readUInt32LE(peOff) !== 0x00004550) throw new PeError('not a PE file: no PE\\0\\0 signature');
  const machine = buf.readUInt16LE(peOff + 4);
  const sectionCount = buf.readUInt16LE(peOff + 6);
  const optSize = buf.readUInt16LE(peOff + 20);
  const characteristics = buf.readUInt16LE(peOff + 22);
  const optOff = peOff + 24;
  need(optOff, 2, 'optional header');
  const magic = buf.readUInt16LE(optOff);
  const info = { machine, magic, characteristics, isDll: (characteristics & IMAGE_FILE_DLL) !== 0, imports: [] };
  if (magic !== PE32PLUS_MAGIC) return info; // the data directories of PE32 sit elsewhere; not ours anyway

  need(optOff, Math.max(optSize, 112), 'optional header');
  const dirCount = buf.readUInt32LE(optOff + 108);
  const directory = (index) => {
    if (index >= dirCount || 112 + index * 8 + 8 > optSize) return { rva: 0, size: 0 };
    return { rva: buf.readUInt32LE(optOff + 112 + index * 8), size: buf.readUInt32LE(optOff + 116 + index * 8) };
  };

  const sections = [];
  const secOff = optOff + optSize;
  need(secOff, sectionCount * 40, 'section table');
  for (let i = 0; i < sectionCount; i++) {
    const o = secOff + i * 40;
    sections.push({
      name: buf.toString('latin1', o, o + 8).replace(/\0+$/, ''),
      virtualSize: buf.readUInt32LE(o + 8),
      virtualAddress: buf.readUInt32LE(o + 12),
      rawSize: buf.readUInt32LE(o + 16),
      rawPointer: buf.readUInt32LE(o + 20),
    });
  }
  info.sections = sections.map((s) => s.name);

  const offsetOf = (rva) => {
    for (const s of sections) {
      const span = Math.max(s.virtualSize, s.rawSize);
      if (rva >= s.virtualAddress && rva < s.virtualAddress + span) {
        const off = rva - s.virtualAddress + s.rawPointer;
        need(off, 1, `RVA 0x${rva.toString(16)}`);
        return off;
      }
    }
    throw new PeError(`RVA 0x${rva.toString(16)} is in no section`);
  };
  const cString = (rva) => {
    const start = offsetOf(rva);
    const end = buf.indexOf(0, start);
    if (end < 0) throw new PeError(`unterminated string at RVA 0x${rva.toString(16)}`);
    return buf.toString('latin1', start, end);
  };
  const thunkNames = (rva) => {
    const names = [];
    if (!rva) return names;
    for (let off = offsetOf(rva); ; off += 8) {
      need(off, 8, 'import thunk');
      const value = buf.readBigUInt64LE(off);
      if (value === 0n) break;
      if (value & 0x8000000000000000n) names.push(`#${Number(value & 0xffffn)}`);
      else names.push(cString(Number(value & 0x7fffffffn) + 2));
      if (names.length > 100000) throw new PeError('runaway import thunk list');
    }
    return names;
  };

  const imp = directory(DIR_IMPORT);
  if (imp.rva) {
    for (let off = offsetOf(imp.rva); ; off += 20) {
      need(off, 20, 'import descriptor');
      const lookup = buf.readUInt32LE(off);
      const nameRva = buf.readUInt32LE(off + 12);
      const iat = buf.readUInt32LE(off + 16);
      if (lookup === 0 && nameRva === 0 && iat === 0) break;
      info.imports.push({ dll: cString(nameRva), functions: thunkNames(lookup || iat), delay: false });
      if (info.imports.length > 10000) throw new PeError('runaway import descriptor list');
    }
  }
  const delay = directory(DIR_DELAY_IMPORT);
  if (delay.rva) {
    for (let off = offsetOf(delay.rva); ; off += 32) {
      need(off, 32, 'delay import descriptor');
      const nameRva = buf.readUInt32LE(off + 4);
      if (nameRva === 0) break;
      info.imports.push({ dll: cString(nameRva), functions: thunkNames(buf.readUInt32LE(off + 16)), delay: true });
      if (info.imports.length > 10000) throw new PeError('runaway delay import list');
    }
  }
  return info;
}

// Returns { ok, problems, info } for the PE image in `buf`.
function checkPe(buf) {
  const problems = [];
  let info;
  try {
    info = inspectPe(buf);
  } catch (err) {
    if (!(err instanceof PeError)) throw err;
    return { ok: false, problems: [err.message], info: null };
  }
  if (info.machine !== IMAGE_FILE_MACHINE_AMD64) problems.push(`machine is 0x${info.machine.toString(16)}, not x64 (0x8664)`);
  if (info.magic !== PE32PLUS_MAGIC) problems.push(`optional header magic is 0x${info.magic.toString(16)}, not PE32+ (0x20b)`);
  if (!info.isDll) problems.push('IMAGE_FILE_DLL is not set');
  for (const { dll } of info.imports) {
    if (!ALLOWED.some((re) => re.test(dll))) problems.push(`imports from ${dll}, which is not allowed`);
  }
  if (info.magic === PE32PLUS_MAGIC && !info.imports.some(({ dll }) => /^node\.exe$/i.test(dll))) {
    problems.push('does not import from node.exe');
  }
  return { ok: problems.length === 0, problems, info };
}

function main(argv) {
  const verbose = argv.includes('--verbose');
  const files = argv.filter((a) => a !== '--verbose');
  if (files.length !== 1) {
    console.error('usage: node scripts/check-pe.js <file> [--verbose]');
    return 2;
  }
  const { ok, problems, info } = checkPe(fs.readFileSync(files[0]));
  console.log(`check-pe: ${files[0]}`);
  if (info) {
    console.log(`  machine 0x${info.machine.toString(16)}, magic 0x${info.magic.toString(16)}, ` +
      `characteristics 0x${info.characteristics.toString(16)}${info.isDll ? ' (DLL)' : ''}`);
    for (const { dll, functions, delay } of info.imports) {
      console.log(`  imports ${dll}${delay ? ' (delay-load)' : ''}: ${functions.length} function(s)`);
      if (verbose) for (const f of functions) console.log(`    ${f}`);
    }
  }
  for (const p of problems) console.log(`  FAIL: ${p}`);
  console.log(ok ? 'check-pe: OK' : 'check-pe: FAILED');
  return ok ? 0 : 1;
}

module.exports = { inspectPe, checkPe, PeError };

if (require.main === module) process.exitCode = main(process.argv.slice(2));
