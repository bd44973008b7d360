// Credentials never leak (docs/security.md): a password given to connect()
// appears nowhere in the error of a failed connect (message, stack, JSON,
// util.inspect with hidden fields, the cause chain), nor in a connection's
// inspect output, nor in the errors of its calls, nor in the live counters.
// Off Windows the 'wmi' backend fails at once (WBEM_E_NOT_SUPPORTED); on
// Windows the connect goes to a server that does not exist.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import * as util from 'node:util';
import { binding } from '../lib/binding';
import { connect, createRepository, isWbemError, type ConnectOptions } from '../lib/index';
import { checkLeaksAtEnd } from './leak-check';

checkLeaksAtEnd();

const password = 'S3cret!pw';
const user = 'CONTOSO\\wmiput-agent';

/** Every rendering of `value` a log line or crash report could contain. */
function renderings(value: unknown): string[] {
  const out: string[] = [];
  const seen = new Set<unknown>();
  let v: unknown = value;
  while (v !== undefined && v !== null && !seen.has(v)) {
    seen.add(v);
    out.push(String(v));
    out.push(util.inspect(v, { showHidden: true, depth: Infinity, getters: true }));
    try {
      out.push(JSON.stringify(v) ?? '');
    } catch {
      // cyclic: inspect covers it
    }
    if (v instanceof Error) {
      out.push(v.stack ?? '', v.message);
      out.push(JSON.stringify(Object.getOwnPropertyNames(v).map((k) => [k, String((v as unknown as Record<string, unknown>)[k])])));
      v = (v as Error & { cause?: unknown }).cause;
    } else {
      break;
    }
  }
  return out;
}

function assertNoPassword(value: unknown, what: string): void {
  for (const text of renderings(value)) {
    assert.ok(!text.includes(password), `${what} contains the password:\n${text}`);
    assert.ok(!text.includes('S3cret'), `${what} contains part of the password:\n${text}`);
  }
}

async function failedConnect(options: ConnectOptions): Promise<unknown> {
  try {
    const conn = await connect(options);
    await conn.close();
  } catch (e) {
    return e;
  }
  return assert.fail(`connect(${JSON.stringify({ ...options, password: '<hidden>' })}) succeeded`);
}

describe('credentials never appear in errors or inspect output', () => {
  it("a failed connect to the 'wmi' backend", async () => {
    const onWindows = process.platform === 'win32';
    const e = await failedConnect({
      backend: 'wmi',
      server: 'wmiput-no-such-host.invalid',
      namespace: 'root\\cimv2',
      user,
      password,
      timeoutMs: 60_000,
    });
    assert.ok(isWbemError(e), String(e));
    if (!onWindows) assert.equal(e.code, 'WBEM_E_NOT_SUPPORTED');
    assertNoPassword(e, 'the connect error');
    assertNoPassword(binding.counters(), 'the live counters');
  });

  it('a failed connect to the embedded backend (unknown namespace), and invalid credential options', async () => {
    const e = await failedConnect({ backend: 'embedded', repository: createRepository(), namespace: 'root\\nope', user, password });
    assert.ok(isWbemError(e, 'WBEM_E_INVALID_NAMESPACE'), String(e));
    assertNoPassword(e, 'the connect error');
    // A password of the wrong type is named, never echoed.
    const bad = await failedConnect({ backend: 'embedded', user, password: { toString: () => password } as never });
    assert.ok(isWbemError(bad, 'WBEM_E_INVALID_PARAMETER'), String(bad));
    assertNoPassword(bad, 'the option error');
    const aborted = await failedConnect({ backend: 'embedded', user, password, signal: AbortSignal.abort() });
    assert.ok(isWbemError(aborted, 'WBEM_E_CALL_CANCELLED'), String(aborted));
    assertNoPassword(aborted, 'the abort error');
  });

  it('an open connection and the errors of its calls (the embedded server ignores credentials)', async () => {
    const conn = await connect({ backend: 'embedded', repository: createRepository(), user, password });
    try {
      assertNoPassword(conn, 'the connection');
      let e: unknown;
      try {
        await conn.getObject('Nope.Name="x"');
      } catch (err) {
        e = err;
      }
      assert.ok(isWbemError(e), String(e));
      assertNoPassword(e, 'a call error');
      assertNoPassword(binding.counters(), 'the live counters');
    } finally {
      await conn.close();
    }
    assertNoPassword(conn, 'the closed connection');
  });
});
