import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import * as flags from '../lib/flags';
import { WbemError } from '../lib/errors';
import type { CimTypeName } from '../lib/types';

const {
  modeToFlags,
  validatePutAsyncFlags,
  cimTypeCodes,
  cimTypeName,
  flavorToBits,
  bitsToFlavor,
} = flags;

describe('scripting constants', () => {
  // Values from wbemdisp.h (WbemChangeFlagEnum, WbemFlagEnum, WbemCimtypeEnum).
  const expected: Record<string, number> = {
    wbemChangeFlagCreateOrUpdate: 0,
    wbemChangeFlagUpdateOnly: 1,
    wbemChangeFlagCreateOnly: 2,
    wbemChangeFlagUpdateCompatible: 0,
    wbemChangeFlagUpdateSafeMode: 0x20,
    wbemChangeFlagUpdateForceMode: 0x40,
    wbemChangeFlagStrongValidation: 0x80,
    wbemChangeFlagAdvisory: 0x10000,
    wbemFlagReturnImmediately: 0x10,
    wbemFlagReturnWhenComplete: 0,
    wbemFlagBidirectional: 0,
    wbemFlagForwardOnly: 0x20,
    wbemFlagNoErrorObject: 0x40,
    wbemFlagReturnErrorObject: 0,
    wbemFlagSendStatus: 0x80,
    wbemFlagDontSendStatus: 0,
    wbemFlagEnsureLocatable: 0x100,
    wbemFlagDirectRead: 0x200,
    wbemFlagSendOnlySelected: 0,
    wbemFlagUseAmendedQualifiers: 0x20000,
    wbemFlagGetDefault: 0,
    wbemFlagSpawnInstance: 1,
    wbemFlagUseCurrentTime: 1,
    wbemCimtypeSint8: 16,
    wbemCimtypeUint8: 17,
    wbemCimtypeSint16: 2,
    wbemCimtypeUint16: 18,
    wbemCimtypeSint32: 3,
    wbemCimtypeUint32: 19,
    wbemCimtypeSint64: 20,
    wbemCimtypeUint64: 21,
    wbemCimtypeReal32: 4,
    wbemCimtypeReal64: 5,
    wbemCimtypeBoolean: 11,
    wbemCimtypeString: 8,
    wbemCimtypeDatetime: 101,
    wbemCimtypeReference: 102,
    wbemCimtypeChar16: 103,
    wbemCimtypeObject: 13,
    cimFlagArray: 0x2000,
    wbemFlavorFlagPropagateToInstance: 0x1,
    wbemFlavorFlagPropagateToDerivedClass: 0x2,
    wbemFlavorNotOverridable: 0x10,
    wbemFlavorAmended: 0x80,
    reservedFlagsMask: 0x1f000,
    putInstanceAsyncAllowedFlags: 0x20083,
    putClassAsyncAllowedFlags: 0x200e3,
  };

  it('has exactly the documented values', () => {
    for (const [name, value] of Object.entries(expected)) {
      assert.equal((flags as unknown as Record<string, unknown>)[name], value, name);
    }
  });

  it('exports no numeric constant that is not checked above', () => {
    const numeric = Object.entries(flags).filter(([, v]) => typeof v === 'number').map(([k]) => k).sort();
    assert.deepEqual(numeric, Object.keys(expected).sort());
  });

  it('maps CIM type names to CIMTYPE numbers and back', () => {
    const table: Record<CimTypeName, number> = {
      sint8: 16, uint8: 17, sint16: 2, uint16: 18, sint32: 3, uint32: 19, sint64: 20, uint64: 21,
      real32: 4, real64: 5, boolean: 11, string: 8, char16: 103, datetime: 101, reference: 102, object: 13,
    };
    assert.deepEqual({ ...cimTypeCodes }, table);
    assert.ok(Object.isFrozen(cimTypeCodes));
    for (const [name, code] of Object.entries(table)) {
      assert.equal(cimTypeName(code), name);
      assert.equal(cimTypeName(code | 0x2000), name);
    }
    assert.equal(cimTypeName(0), undefined);
    assert.equal(cimTypeName(0xfff), undefined);
  });

  it('converts qualifier flavors to WBEM_FLAVOR bits and back', () => {
    assert.equal(flavorToBits(undefined), 0);
    assert.equal(flavorToBits({}), 0);
    assert.equal(flavorToBits({ toInstance: true }), 0x1);
    assert.equal(flavorToBits({ toSubclass: true }), 0x2);
    assert.equal(flavorToBits({ disableOverride: true }), 0x10);
    assert.equal(flavorToBits({ amended: true }), 0x80);
    assert.equal(flavorToBits({ toInstance: true, toSubclass: true, disableOverride: true, amended: true }), 0x93);
    assert.equal(flavorToBits({ toInstance: false, toSubclass: true }), 0x2);
    assert.deepEqual(bitsToFlavor(0), {});
    assert.deepEqual(bitsToFlavor(0x93), { toInstance: true, toSubclass: true, disableOverride: true, amended: true });
    // Origin bits (0x20 propagated, 0x40 system) are read-only and ignored.
    assert.deepEqual(bitsToFlavor(0x22), { toSubclass: true });
    assert.deepEqual(bitsToFlavor(0x41), { toInstance: true });
  });
});

function assertInvalidParameter(fn: () => unknown, fragment: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof WbemError, `expected a WbemError, got ${String(e)}`);
    assert.equal(e.code, 'WBEM_E_INVALID_PARAMETER');
    assert.equal(e.hresult, 0x80041008);
    assert.ok(e.message.includes(fragment), `message ${JSON.stringify(e.message)} lacks ${JSON.stringify(fragment)}`);
    return true;
  });
}

describe('modeToFlags', () => {
  type Row = [flags.PutMode | undefined, flags.UpdateMode | undefined, boolean | undefined, flags.PutKind, number];
  const table: Row[] = [
    [undefined, undefined, undefined, 'instance', 0],
    ['createOrUpdate', undefined, undefined, 'instance', 0],
    ['updateOnly', undefined, undefined, 'instance', 1],
    ['createOnly', undefined, undefined, 'instance', 2],
    ['createOnly', undefined, true, 'instance', 0x20002],
    [undefined, undefined, false, 'instance', 0],
    [undefined, undefined, undefined, 'class', 0],
    ['createOrUpdate', 'compatible', undefined, 'class', 0],
    ['createOrUpdate', 'safe', undefined, 'class', 0x20],
    ['createOrUpdate', 'force', undefined, 'class', 0x40],
    ['updateOnly', 'safe', undefined, 'class', 0x21],
    ['updateOnly', 'force', true, 'class', 0x20041],
    ['createOnly', 'compatible', true, 'class', 0x20002],
    [undefined, 'force', undefined, 'class', 0x40],
  ];
  for (const [mode, update, amended, kind, expected] of table) {
    it(`${kind} ${String(mode)}/${String(update)}/${String(amended)} -> 0x${expected.toString(16)}`, () => {
      assert.equal(modeToFlags(mode, update, amended, kind), expected);
      assert.equal(modeToFlags({ mode, update, amendedQualifiers: amended }, kind), expected);
      // Whatever the options produce is itself valid for the Async call.
      validatePutAsyncFlags(expected, kind);
    });
  }

  it('rejects unknown strings, update on instances and bad kinds', () => {
    const bad = (v: unknown) => v as never;
    assertInvalidParameter(() => modeToFlags(bad('create'), undefined, undefined, 'instance'), "got 'create'");
    assertInvalidParameter(() => modeToFlags(bad('CreateOnly'), undefined, undefined, 'class'), "got 'CreateOnly'");
    assertInvalidParameter(() => modeToFlags(bad(2), undefined, undefined, 'class'), 'got 2');
    assertInvalidParameter(() => modeToFlags(bad(null), undefined, undefined, 'class'), 'got null');
    assertInvalidParameter(() => modeToFlags(undefined, 'safe', undefined, 'instance'), 'class puts only');
    assertInvalidParameter(() => modeToFlags(undefined, 'compatible', undefined, 'instance'), 'class puts only');
    assertInvalidParameter(() => modeToFlags({ update: 'force' }, 'instance'), 'class puts only');
    assertInvalidParameter(() => modeToFlags(undefined, bad('strict'), undefined, 'class'), "got 'strict'");
    assertInvalidParameter(() => modeToFlags(undefined, undefined, bad('yes'), 'class'), "amendedQualifiers must be a boolean, got 'yes'");
    assertInvalidParameter(() => modeToFlags(undefined, undefined, bad(1), 'instance'), 'got 1');
    assertInvalidParameter(() => modeToFlags(undefined, undefined, undefined, bad('object')), "got 'object'");
    assertInvalidParameter(() => modeToFlags({}, bad(undefined)), 'got undefined');
    assertInvalidParameter(() => modeToFlags({ mode: bad('toString') }, 'class'), "got 'toString'");
  });
});

describe('validatePutAsyncFlags', () => {
  const accept: Array<[number, flags.PutKind]> = [
    [0, 'instance'], [0, 'class'],
    [1, 'instance'], [2, 'instance'], [0x80, 'instance'], [0x20000, 'instance'],
    [1 | 0x80 | 0x20000, 'instance'], [2 | 0x80 | 0x20000, 'class'],
    [0x20, 'class'], [0x40, 'class'], [0x21, 'class'], [0x42, 'class'], [0x200a1, 'class'], [0x200c2, 'class'],
    // Reserved bits 0x1F000 are ignored (OWNER_UPDATE / wbemChangeFlagAdvisory is 0x10000).
    [0x10000, 'instance'], [0x10000, 'class'], [0x1f000, 'instance'], [0x1f002, 'class'], [0x1f042, 'class'],
  ];
  for (const [value, kind] of accept) {
    it(`accepts 0x${value.toString(16)} for ${kind}`, () => {
      assert.doesNotThrow(() => validatePutAsyncFlags(value, kind));
    });
  }

  const reject: Array<[unknown, flags.PutKind, string]> = [
    [3, 'instance', 'mutually exclusive'],
    [3, 'class', 'mutually exclusive'],
    [0x60, 'class', 'wbemChangeFlagUpdateSafeMode and wbemChangeFlagUpdateForceMode are mutually exclusive'],
    [0x61, 'class', 'mutually exclusive'],
    [0x20, 'instance', 'class update-mode flags (0x20) are not valid for an instance put'],
    [0x40, 'instance', 'class update-mode flags (0x40) are not valid for an instance put'],
    [0x10, 'instance', 'wbemFlagReturnImmediately (0x10) is not valid for an asynchronous put'],
    [0x10, 'class', 'wbemFlagReturnImmediately'],
    [0x12, 'class', 'wbemFlagReturnImmediately'],
    [0x4, 'instance', 'flags 0x4 are not valid for PutInstanceAsync'],
    [0x8, 'class', 'flags 0x8 are not valid for PutClassAsync'],
    [0x100, 'instance', 'flags 0x100 are not valid'],
    [0x200, 'class', 'flags 0x200 are not valid'],
    [0x100000, 'class', 'flags 0x100000 are not valid'],
    [0x40000, 'instance', 'flags 0x40000 are not valid'],
    [0x40000000, 'class', 'flags 0x40000000 are not valid'],
    [0x80000000, 'class', 'non-negative 32-bit integer, got 2147483648'],
    [-1, 'instance', 'non-negative 32-bit integer, got -1'],
    [1.5, 'instance', 'got 1.5'],
    [Number.NaN, 'class', 'got NaN'],
    ['2', 'instance', "got '2'"],
    [2n, 'instance', 'got 2n'],
    [undefined, 'instance', 'got undefined'],
    [2 ** 40, 'instance', 'got 1099511627776'],
  ];
  for (const [value, kind, fragment] of reject) {
    it(`rejects ${typeof value === 'number' && Number.isInteger(value) && value >= 0 ? '0x' + value.toString(16) : String(value)} for ${kind}`, () => {
      assertInvalidParameter(() => validatePutAsyncFlags(value as number, kind), fragment);
    });
  }

  it('rejects an unknown kind', () => {
    assertInvalidParameter(() => validatePutAsyncFlags(0, 'Instance' as flags.PutKind), "got 'Instance'");
  });
});
