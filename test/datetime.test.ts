import { strict as assert } from 'node:assert';
import { inspect } from 'node:util';
import { describe, it } from 'node:test';
import { CimDateTime, CimInterval } from '../lib/datetime';
import { WbemError } from '../lib/errors';

function rejects(fn: () => unknown, fragment: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof WbemError, `expected a WbemError, got ${String(e)}`);
    assert.equal(e.code, 'WBEM_E_INVALID_PARAMETER');
    assert.equal(e.hresult, 0x80041008);
    assert.ok(e.message.includes(fragment), `message ${JSON.stringify(e.message)} lacks ${JSON.stringify(fragment)}`);
    return true;
  });
}

describe('CimDateTime.parse / toString', () => {
  const exact = [
    '20240131235959.000000+060',
    '20240131235959.123456-300',
    '20240101000000.000001+000',
    '20240101000000.000000-000',
    '99991231235959.999999+999',
    '00000101000000.000000-999',
    '19980416******.000000+***',
    '19980416******.000000-***',
    '****0416123000.000000+000',
    '2024**16123000.000000+000',
    '202401**123000.000000+000',
    '20240116**3000.000000+000',
    '2024011612**00.000000+000',
    '202401161230**.000000+000',
    '20240116123000.******+000',
    '**************.******+***',
    '20240229120000.500000+000',
    '20000229120000.500000+000',
    '****0229120000.000000+000',
  ];
  for (const text of exact) {
    it(`round-trips ${text}`, () => {
      const value = CimDateTime.parse(text);
      assert.equal(value.toString(), text);
      assert.equal(String(value), text);
      assert.equal(value.toJSON(), text);
      assert.equal(JSON.stringify({ v: value }), `{"v":"${text}"}`);
    });
  }

  it('exposes the fields', () => {
    const v = CimDateTime.parse('20240131235958.123456-300');
    assert.deepEqual(
      [v.year, v.month, v.day, v.hours, v.minutes, v.seconds, v.microseconds, v.utcOffset],
      [2024, 1, 31, 23, 59, 58, 123456, -300],
    );
    assert.equal(v.hasWildcards, false);
  });

  it('reads asterisk fields as null', () => {
    const v = CimDateTime.parse('19980416******.000000+***');
    assert.deepEqual(
      [v.year, v.month, v.day, v.hours, v.minutes, v.seconds, v.microseconds, v.utcOffset],
      [1998, 4, 16, null, null, null, 0, null],
    );
    assert.equal(v.hasWildcards, true);
    const all = CimDateTime.parse('**************.******+***');
    assert.deepEqual(
      [all.year, all.month, all.day, all.hours, all.minutes, all.seconds, all.microseconds, all.utcOffset],
      [null, null, null, null, null, null, null, null],
    );
  });

  it('reads -000 as offset 0 (not -0) and keeps its spelling', () => {
    const v = CimDateTime.parse('20240101000000.000000-000');
    assert.ok(Object.is(v.utcOffset, 0));
    assert.equal(v.toString(), '20240101000000.000000-000');
    assert.equal(v.equals(CimDateTime.parse('20240101000000.000000+000')), false);
  });

  const invalid: Array<[string, string]> = [
    ['', 'expected 25 characters'],
    ['20240131235959.000000+06', 'expected 25 characters'],
    ['20240131235959.000000+0600', 'expected 25 characters'],
    ['20240131235959,000000+060', "expected '.'"],
    ['20240131235959.000000 060', "expected '+' or '-'"],
    ['20240131235959.000000:000', "expected '+' or '-'"],
    ['2024013123595a.000000+060', "invalid seconds field '5a'"],
    ['20240131235959.00000x+060', "invalid microseconds field '00000x'"],
    ['20240131235959.000000+06x', "invalid UTC offset field '06x'"],
    ['2024*131235959.000000+060', "invalid month field '*1'"],
    ['2*24013123595*.000000+060', "invalid year field '2*24'"],
    ['20240131235959.123***+060', "invalid microseconds field '123***'"],
    ['20240131235959.000000+*60', "invalid UTC offset field '*60'"],
    ['20241331235959.000000+060', 'month 13 out of range 1..12'],
    ['20240031235959.000000+060', 'month 0 out of range 1..12'],
    ['20240100235959.000000+060', 'day 0 out of range 1..31'],
    ['20240132235959.000000+060', 'day 32 out of range 1..31'],
    ['20240431235959.000000+060', 'day 31 out of range 1..30'],
    ['20230229000000.000000+000', 'day 29 out of range 1..28'],
    ['19000229000000.000000+000', 'day 29 out of range 1..28'],
    ['****0230000000.000000+000', 'day 30 out of range 1..29'],
    ['20240131245959.000000+060', 'hours 24 out of range 0..23'],
    ['20240131236059.000000+060', 'minutes 60 out of range 0..59'],
    ['20240131235960.000000+060', 'seconds 60 out of range 0..59'],
    ['-0240131235959.000000+060', "invalid year field '-024'"],
    ['+2024013123595.000000+060', "invalid year field '+202'"],
    [' 2024013123595.000000+060', "invalid year field ' 202'"],
  ];
  for (const [text, fragment] of invalid) {
    it(`rejects ${JSON.stringify(text)}`, () => rejects(() => CimDateTime.parse(text), fragment));
  }

  it('rejects an interval string and non-strings', () => {
    rejects(() => CimDateTime.parse('00000001000000.000000:000'), "expected '+' or '-'");
    rejects(() => CimDateTime.parse(20240131 as unknown as string), 'expects a string');
  });
});

describe('CimDateTime fields constructor', () => {
  it('defaults time fields and offset to 0', () => {
    assert.equal(new CimDateTime({ year: 2024, month: 2, day: 29 }).toString(), '20240229000000.000000+000');
  });

  it('writes nulls as asterisks and negative offsets with -', () => {
    const v = new CimDateTime({
      year: 5, month: 6, day: 7, hours: null, minutes: 8, seconds: null, microseconds: 42, utcOffset: -5,
    });
    assert.equal(v.toString(), '00050607**08**.000042-005');
    assert.equal(new CimDateTime({ year: null, month: null, day: null, utcOffset: null }).toString(),
      '********000000.000000+***');
  });

  it('validates like parse', () => {
    rejects(() => new CimDateTime({ year: 2023, month: 2, day: 29 }), 'day 29 out of range 1..28');
    rejects(() => new CimDateTime({ year: 10000, month: 1, day: 1 }), 'year 10000 out of range 0..9999');
    rejects(() => new CimDateTime({ year: 2024, month: 1, day: 1, microseconds: 1_000_000 }), 'microseconds 1000000');
    rejects(() => new CimDateTime({ year: 2024, month: 1, day: 1, hours: 1.5 }), 'hours 1.5 out of range');
    rejects(() => new CimDateTime({ year: 2024, month: 1, day: 1, utcOffset: 1000 }), 'UTC offset 1000 out of range -999..999');
    rejects(() => new CimDateTime({ year: 2024, month: 1, day: 1, utcOffset: -1000 }), 'UTC offset -1000');
    rejects(() => new CimDateTime({ year: '2024' as unknown as number, month: 1, day: 1 }), 'year must be a number or null');
  });
});

describe('CimDateTime.fromDate / toDate', () => {
  const instant = new Date('2024-01-31T22:59:59.123Z');
  const cases: Array<[number, string]> = [
    [0, '20240131225959.123000+000'],
    [60, '20240131235959.123000+060'],
    [61, '20240201000059.123000+061'],
    [-300, '20240131175959.123000-300'],
    [-999, '20240131062059.123000-999'],
    [999, '20240201153859.123000+999'],
  ];
  for (const [offset, text] of cases) {
    it(`offset ${offset} gives ${text} and toDate() gives the instant back`, () => {
      const v = CimDateTime.fromDate(instant, offset);
      assert.equal(v.toString(), text);
      assert.equal(v.utcOffset, offset);
      assert.equal(v.toDate().getTime(), instant.getTime());
      assert.equal(CimDateTime.parse(text).toDate().toISOString(), '2024-01-31T22:59:59.123Z');
    });
  }

  it('defaults to UTC', () => {
    assert.equal(CimDateTime.fromDate(new Date(Date.UTC(2000, 1, 29, 12))).toString(), '20000229120000.000000+000');
  });

  it('handles years below 100 and year 0 (no 19xx mapping)', () => {
    const d = new Date(0);
    d.setUTCFullYear(42, 6, 4);
    const v = CimDateTime.fromDate(d);
    assert.equal(v.toString(), '00420704000000.000000+000');
    assert.equal(v.toDate().getTime(), d.getTime());
    const y0 = CimDateTime.parse('00000101000000.000000+000').toDate();
    assert.equal(y0.getUTCFullYear(), 0);
  });

  it('truncates microseconds in toDate', () => {
    assert.equal(CimDateTime.parse('20240131235959.999999+000').toDate().toISOString(), '2024-01-31T23:59:59.999Z');
  });

  it('rejects bad inputs', () => {
    rejects(() => CimDateTime.fromDate(new Date(NaN)), 'invalid Date');
    rejects(() => CimDateTime.fromDate('2024-01-01' as unknown as Date), 'expects a Date');
    rejects(() => CimDateTime.fromDate(instant, 1000), 'UTC offset 1000 out of range');
    rejects(() => CimDateTime.fromDate(instant, 1.5), 'UTC offset 1.5 out of range');
    rejects(() => CimDateTime.fromDate(new Date('+010000-01-01T00:00:00Z')), 'year 10000');
    rejects(() => CimDateTime.fromDate(new Date('-000001-01-01T00:00:00Z')), 'year -1');
  });

  it('toDate rejects wildcards, including the offset', () => {
    rejects(() => CimDateTime.parse('19980416******.000000+000').toDate(), 'unknown fields');
    rejects(() => CimDateTime.parse('19980416120000.000000+***').toDate(), 'unknown fields');
    rejects(() => CimDateTime.parse('19980416120000.******+000').toDate(), 'unknown fields');
  });
});

describe('CimDateTime misc', () => {
  it('from() accepts Date, CimDateTime and strings', () => {
    const v = CimDateTime.parse('20240131235959.000000+060');
    assert.equal(CimDateTime.from(v), v);
    assert.equal(CimDateTime.from('20240131235959.000000+060').toString(), v.toString());
    assert.equal(CimDateTime.from(new Date('2024-01-31T22:59:59Z')).toString(), '20240131225959.000000+000');
  });

  it('equals compares the DMTF text', () => {
    const a = CimDateTime.parse('20240131235959.000000+060');
    assert.equal(a.equals(CimDateTime.parse('20240131235959.000000+060')), true);
    assert.equal(a.equals(CimDateTime.parse('20240131225959.000000+000')), false, 'same instant, other text');
    assert.equal(a.equals('20240131235959.000000+060'), false);
    assert.equal(CimDateTime.parse('20240131235959.000000+***').equals(CimDateTime.parse('20240131235959.000000+000')), false);
  });

  it('has a toStringTag and a readable inspect form', () => {
    const v = CimDateTime.parse('20240131235959.000000+060');
    assert.equal(Object.prototype.toString.call(v), '[object CimDateTime]');
    assert.equal(inspect(v), 'CimDateTime(20240131235959.000000+060)');
  });
});

describe('CimInterval', () => {
  const exact = [
    '00000000000000.000000:000',
    '00000001020304.000005:000',
    '99999999235959.999999:000',
    '12345678000000.000001:000',
  ];
  for (const text of exact) {
    it(`round-trips ${text}`, () => {
      const v = CimInterval.parse(text);
      assert.equal(v.toString(), text);
      assert.equal(v.toJSON(), text);
      assert.equal(CimInterval.fromMicroseconds(v.totalMicroseconds).toString(), text);
    });
  }

  it('exposes fields and totals', () => {
    const v = CimInterval.parse('00000001020304.000005:000');
    assert.deepEqual([v.days, v.hours, v.minutes, v.seconds, v.microseconds], [1, 2, 3, 4, 5]);
    assert.equal(v.totalMicroseconds, 93_784_000_005n);
    assert.equal(v.totalMilliseconds, 93_784_000.005);
    const max = CimInterval.parse('99999999235959.999999:000');
    assert.equal(max.totalMicroseconds, 99_999_999n * 86_400_000_000n + 86_399_999_999n);
    assert.equal(max.totalMicroseconds, 8_639_999_999_999_999_999n);
  });

  it('fromMilliseconds normalises and keeps microsecond fractions', () => {
    assert.equal(CimInterval.fromMilliseconds(0).toString(), '00000000000000.000000:000');
    assert.equal(CimInterval.fromMilliseconds(90_061_001.5).toString(), '00000001010101.001500:000');
    assert.equal(CimInterval.fromMilliseconds(86_400_000).toString(), '00000001000000.000000:000');
    assert.equal(CimInterval.fromMilliseconds(0.001).toString(), '00000000000000.000001:000');
  });

  it('fromMicroseconds at the limits', () => {
    assert.equal(CimInterval.fromMicroseconds(8_639_999_999_999_999_999n).toString(), '99999999235959.999999:000');
    rejects(() => CimInterval.fromMicroseconds(8_640_000_000_000_000_000n), 'exceeds 99999999 days');
    rejects(() => CimInterval.fromMicroseconds(-1n), 'negative');
    rejects(() => CimInterval.fromMicroseconds(5 as unknown as bigint), 'expects a bigint');
  });

  it('rejects bad millisecond counts', () => {
    rejects(() => CimInterval.fromMilliseconds(-1), 'not a finite non-negative number');
    rejects(() => CimInterval.fromMilliseconds(Number.NaN), 'not a finite');
    rejects(() => CimInterval.fromMilliseconds(Infinity), 'not a finite');
  });

  const invalid: Array<[string, string]> = [
    ['00000001020304.000005:00', 'expected 25 characters'],
    ['00000001020304.000005+000', "expected ':000'"],
    ['00000001020304.000005:001', "expected ':000'"],
    ['00000001020304,000005:000', "expected '.'"],
    ['********020304.000005:000', "invalid days field '********'"],
    ['00000001**0304.000005:000', "invalid hours field '**'"],
    ['00000001240304.000005:000', 'hours 24 out of range 0..23'],
    ['00000001026004.000005:000', 'minutes 60 out of range 0..59'],
    ['00000001020360.000005:000', 'seconds 60 out of range 0..59'],
    ['20240131235959.000000+060', "expected ':000'"],
  ];
  for (const [text, fragment] of invalid) {
    it(`rejects ${JSON.stringify(text)}`, () => rejects(() => CimInterval.parse(text), fragment));
  }

  it('constructor validates ranges', () => {
    assert.equal(new CimInterval({ days: 3, microseconds: 7 }).toString(), '00000003000000.000007:000');
    assert.equal(new CimInterval().toString(), '00000000000000.000000:000');
    rejects(() => new CimInterval({ days: 100_000_000 }), 'days 100000000 out of range 0..99999999');
    rejects(() => new CimInterval({ hours: -1 }), 'hours -1 out of range');
  });

  it('equals, from, toStringTag, inspect', () => {
    const v = CimInterval.parse('00000001020304.000005:000');
    assert.equal(v.equals(CimInterval.from('00000001020304.000005:000')), true);
    assert.equal(v.equals(CimInterval.parse('00000001020304.000006:000')), false);
    assert.equal(CimInterval.from(v), v);
    assert.equal(Object.prototype.toString.call(v), '[object CimInterval]');
    assert.equal(inspect(v), 'CimInterval(00000001020304.000005:000)');
  });
});
