// The loaded addon exports exactly the functions binding.d.ts declares in
// `Binding`, and the status table the native side uses is the one TypeScript uses.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { binding } from '../lib/binding';
import { statusCodes, statusDescriptions, statusName } from '../lib/generated/status';
import { checkLeaksAtEnd } from './leak-check';

// Every live counter of the addon is back at its start value once this file is done.
checkLeaksAtEnd();

const root = path.resolve(__dirname, '..', '..');

function declaredFunctions(): string[] {
  const text = fs.readFileSync(path.join(root, 'binding.d.ts'), 'utf8');
  const start = text.indexOf('export interface Binding {');
  assert.ok(start >= 0, 'binding.d.ts declares interface Binding');
  const body = text.slice(start, text.indexOf('\n}', start));
  return [...body.matchAll(/^ {2}(\w+)\(/gm)].map((m) => m[1] as string).sort();
}

test('the addon exports exactly the functions of binding.d.ts', () => {
  const declared = declaredFunctions();
  assert.ok(declared.length >= 10, `found ${declared.length} declared functions`);
  const exported = Object.keys(binding).sort();
  assert.deepEqual(exported, declared);
  for (const name of exported) {
    assert.equal(typeof (binding as unknown as Record<string, unknown>)[name], 'function', name);
  }
});

test('native and TypeScript status tables agree entry by entry', () => {
  const native = binding.statusTable();
  const names = Object.keys(statusCodes);
  assert.equal(native.length, names.length);
  for (const [name, value, description] of native) {
    assert.equal((statusCodes as Record<string, number>)[name], value, name);
    assert.equal((statusDescriptions as Record<string, string>)[name], description, name);
  }
});

test('status table: well-known codes have their WMI values', () => {
  assert.equal(statusCodes.WBEM_E_ALREADY_EXISTS, 0x80041019);
  assert.equal(statusCodes.WBEM_E_NOT_FOUND, 0x80041002);
  assert.equal(statusCodes.WBEM_E_CALL_CANCELLED, 0x80041032);
  assert.equal(statusCodes.WBEM_E_TYPE_MISMATCH, 0x80041005);
  assert.equal(statusCodes.WBEM_E_INVALID_NAMESPACE, 0x8004100e);
  assert.equal(statusCodes.WBEM_E_AMENDED_OBJECT, 0x80041066);
  assert.equal(statusName(0x80041089), 'WBEM_E_NO_KEY');
  assert.equal(statusName(-2147217383), 'WBEM_E_ALREADY_EXISTS');
});
