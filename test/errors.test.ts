import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { WbemError, formatHresult, isWbemError } from '../lib/errors';
import { statusCodes, statusDescriptions } from '../lib/generated/status';

describe('WbemError', () => {
  it('maps a known HRESULT to its code and description', () => {
    const e = new WbemError(0x80041019);
    assert.ok(e instanceof Error);
    assert.ok(e instanceof WbemError);
    assert.equal(e.name, 'WbemError');
    assert.equal(e.hresult, 0x80041019);
    assert.equal(e.code, 'WBEM_E_ALREADY_EXISTS');
    assert.equal(e.message, `WBEM_E_ALREADY_EXISTS: ${statusDescriptions.WBEM_E_ALREADY_EXISTS}`);
    assert.equal(String(e), `WbemError: ${e.message}`);
    assert.ok(e.stack?.startsWith(`WbemError: ${e.message}\n`));
  });

  it('stores the HRESULT unsigned when given the signed form', () => {
    const e = new WbemError(-2147217383); // (int32)0x80041019
    assert.equal(e.hresult, 2147749913);
    assert.equal(e.hresult, 0x80041019);
    assert.equal(e.code, 'WBEM_E_ALREADY_EXISTS');
    assert.equal(new WbemError(-2147217407).code, 'WBEM_E_FAILED');
    assert.equal(new WbemError(-2147217407).hresult, 0x80041001);
  });

  it('names an unknown HRESULT by its 8-digit upper-case hex', () => {
    const e = new WbemError(0xc0000005);
    assert.equal(e.code, '0xC0000005');
    assert.equal(e.hresult, 0xc0000005);
    assert.equal(e.message, '0xC0000005: WMI call failed');
    assert.equal(new WbemError(0x0004abcd).code, '0x0004ABCD');
    assert.equal(new WbemError(-1073741819).code, '0xC0000005');
    assert.equal(formatHresult(0x8007000e), '0x8007000E');
    assert.equal(formatHresult(-2147024882), '0x8007000E');
  });

  it('prefers message, then description, then the table text', () => {
    assert.equal(
      new WbemError(0x80041002, { description: 'No such app', message: 'explicit' }).message,
      'WBEM_E_NOT_FOUND: explicit',
    );
    assert.equal(new WbemError(0x80041002, { description: 'No such app' }).message, 'WBEM_E_NOT_FOUND: No such app');
    assert.equal(new WbemError(0x80041002).message, `WBEM_E_NOT_FOUND: ${statusDescriptions.WBEM_E_NOT_FOUND}`);
    assert.equal(new WbemError(0xc0000005, { description: 'provider crashed' }).message, '0xC0000005: provider crashed');
  });

  it('appends the property at fault', () => {
    const e = new WbemError(0x80041005, { message: 'uint32 value 4294967296 out of range', property: 'Size' });
    assert.equal(e.message, "WBEM_E_TYPE_MISMATCH: uint32 value 4294967296 out of range (property 'Size')");
    assert.equal(e.property, 'Size');
    assert.equal(
      new WbemError(0x80041005, { property: 'Seen' }).message,
      `WBEM_E_TYPE_MISMATCH: ${statusDescriptions.WBEM_E_TYPE_MISMATCH} (property 'Seen')`,
    );
  });

  it('carries the __ExtendedStatus fields, and only the ones given', () => {
    const e = new WbemError(0x80041019, {
      description: 'exists',
      operation: 'PutInstance',
      parameterInfo: 'Contoso_App.Name="x"',
      providerName: 'WinMgmt',
      statusCode: 7,
    });
    assert.equal(e.description, 'exists');
    assert.equal(e.operation, 'PutInstance');
    assert.equal(e.parameterInfo, 'Contoso_App.Name="x"');
    assert.equal(e.providerName, 'WinMgmt');
    assert.equal(e.statusCode, 7);
    assert.equal(e.property, undefined);
    const bare = new WbemError(0x80041001);
    assert.deepEqual(Object.keys(bare).sort(), ['code', 'hresult']);
    assert.equal('description' in bare, false);
    assert.equal('cause' in bare, false);
  });

  it('sets the standard cause', () => {
    const reason = new DOMException('aborted', 'AbortError');
    const e = new WbemError(0x80041032, { cause: reason });
    assert.equal(e.code, 'WBEM_E_CALL_CANCELLED');
    assert.equal(e.cause, reason);
    assert.equal(new WbemError(0x80041032, { cause: undefined }).cause, undefined);
    assert.equal('cause' in new WbemError(0x80041032, { cause: undefined }), true);
  });

  it('fromStatus builds from a name', () => {
    const e = WbemError.fromStatus('WBEM_E_INVALID_PARAMETER', { message: 'bad flags' });
    assert.equal(e.hresult, 0x80041008);
    assert.equal(e.hresult, statusCodes.WBEM_E_INVALID_PARAMETER);
    assert.equal(e.code, 'WBEM_E_INVALID_PARAMETER');
    assert.equal(e.message, 'WBEM_E_INVALID_PARAMETER: bad flags');
    assert.throws(() => WbemError.fromStatus('NOPE' as 'WBEM_E_FAILED'), TypeError);
  });

  it('every status name round-trips through its value', () => {
    for (const [name, value] of Object.entries(statusCodes)) {
      const e = new WbemError(value);
      assert.equal(e.code, name, `${formatHresult(value)}`);
      assert.equal(e.hresult, value >>> 0);
    }
  });

  it('rejects a hresult that is not a 32-bit integer', () => {
    assert.throws(() => new WbemError(1.5), TypeError);
    assert.throws(() => new WbemError(Number.NaN), TypeError);
    assert.throws(() => new WbemError(0x100000000), TypeError);
    assert.throws(() => new WbemError(-0x80000001), TypeError);
    assert.throws(() => new WbemError('0x80041001' as unknown as number), TypeError);
  });

  it('serialises to JSON with its fields', () => {
    const e = new WbemError(0x80041019, { operation: 'PutInstance', property: 'Name', cause: new Error('x') });
    assert.deepEqual(JSON.parse(JSON.stringify(e)), {
      name: 'WbemError',
      code: 'WBEM_E_ALREADY_EXISTS',
      hresult: 0x80041019,
      message: `WBEM_E_ALREADY_EXISTS: ${statusDescriptions.WBEM_E_ALREADY_EXISTS} (property 'Name')`,
      operation: 'PutInstance',
      property: 'Name',
    });
  });

  it('formats only its own fields (no other data reaches the message)', () => {
    const details = { operation: 'ConnectServer', password: 'hunter2', user: 'admin' } as unknown as ConstructorParameters<typeof WbemError>[1];
    const e = new WbemError(0x80041003, details);
    assert.equal(e.message.includes('hunter2'), false);
    assert.equal(JSON.stringify(e).includes('hunter2'), false);
    assert.equal(Object.values(e).includes('hunter2'), false);
  });
});

describe('isWbemError', () => {
  it('checks the class and optionally the code', () => {
    const e = new WbemError(0x80041019);
    assert.equal(isWbemError(e), true);
    assert.equal(isWbemError(e, 'WBEM_E_ALREADY_EXISTS'), true);
    assert.equal(isWbemError(e, 'WBEM_E_NOT_FOUND'), false);
    assert.equal(isWbemError(new WbemError(0xc0000005), '0xC0000005'), true);
    assert.equal(isWbemError(new Error('WBEM_E_ALREADY_EXISTS')), false);
    assert.equal(isWbemError({ name: 'WbemError', code: 'WBEM_E_ALREADY_EXISTS', hresult: 0x80041019 }), false);
    assert.equal(isWbemError(null), false);
    assert.equal(isWbemError('WbemError'), false);
  });

  it('recognises a WbemError of another copy of the module', () => {
    const foreign = Object.create(Object.getPrototypeOf(new WbemError(0x80041001)) as object) as WbemError;
    const other = Object.setPrototypeOf({ code: 'WBEM_E_FAILED' }, Object.create(Error.prototype, {
      [Symbol.for('wmi-put.WbemError')]: { value: true },
    })) as unknown;
    assert.equal(isWbemError(foreign), true);
    assert.equal(isWbemError(other, 'WBEM_E_FAILED'), true);
  });
});
