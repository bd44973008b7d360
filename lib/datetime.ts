import { WbemError } from './errors';

// Misuse (a malformed string, an out-of-range field, a wildcard where a Date is needed) is reported
// as a WbemError with code WBEM_E_INVALID_PARAMETER, like every other argument error of this
// package; the connection maps a bad value inside a put to WBEM_E_TYPE_MISMATCH itself.
function invalid(message: string): WbemError {
  return WbemError.fromStatus('WBEM_E_INVALID_PARAMETER', { message });
}

// Set by parse() around its constructor call only.
let exactText: string | undefined;

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number | null, month: number | null): number {
  if (month === null) return 31;
  if (month === 2) return year === null || isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function field(value: number | null, width: number): string {
  return value === null ? '*'.repeat(width) : pad(value, width);
}

/** Parses a fixed-width decimal field; `null` for a field made only of asterisks. */
function parseField(text: string, start: number, width: number, what: string, wildcard: boolean): number | null {
  const part = text.slice(start, start + width);
  if (wildcard && part === '*'.repeat(width)) return null;
  if (!/^[0-9]+$/.test(part)) {
    throw invalid(
      wildcard
        ? `invalid ${what} field '${part}' in '${text}' (digits, or asterisks filling the whole field)`
        : `invalid ${what} field '${part}' in '${text}' (digits expected)`,
    );
  }
  return Number(part);
}

function checkRange(value: number | null, min: number, max: number, what: string, source: string): void {
  if (value === null) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalid(`${what} ${String(value)} out of range ${min}..${max} in ${source}`);
  }
}

/** The fields of a CIM datetime; `null` means the field is unknown (asterisks). */
export interface CimDateTimeFields {
  year: number | null;
  month: number | null;
  day: number | null;
  /** Defaults to 0. */
  hours?: number | null;
  /** Defaults to 0. */
  minutes?: number | null;
  /** Defaults to 0. */
  seconds?: number | null;
  /** Defaults to 0. */
  microseconds?: number | null;
  /** Minutes east of UTC, −999..999; defaults to 0; `null` is `+***` (no time zone). */
  utcOffset?: number | null;
}

/**
 * A CIM point in time, `yyyymmddHHMMSS.mmmmmmsUUU` (25 characters): microsecond precision, a UTC
 * offset in minutes, and fields that may be unknown (all asterisks). Immutable. `toString()` gives
 * back exactly the string that was parsed (`-000` and `-***` keep their sign); WMI compares these
 * strings character by character, and so does `equals`.
 */
export class CimDateTime {
  readonly year: number | null;
  readonly month: number | null;
  readonly day: number | null;
  readonly hours: number | null;
  readonly minutes: number | null;
  readonly seconds: number | null;
  readonly microseconds: number | null;
  /** Minutes east of UTC; `null` when the offset is `***`. */
  readonly utcOffset: number | null;
  readonly #text: string;

  constructor(fields: CimDateTimeFields) {
    if (typeof fields !== 'object' || fields === null) throw invalid('CimDateTime needs an object of fields');
    const year = fields.year;
    const month = fields.month;
    const day = fields.day;
    const hours = fields.hours === undefined ? 0 : fields.hours;
    const minutes = fields.minutes === undefined ? 0 : fields.minutes;
    const seconds = fields.seconds === undefined ? 0 : fields.seconds;
    const microseconds = fields.microseconds === undefined ? 0 : fields.microseconds;
    // `+ 0` turns -0 into 0.
    const utcOffset = fields.utcOffset === undefined ? 0 : fields.utcOffset === null ? null : fields.utcOffset + 0;
    const values = { year, month, day, hours, minutes, seconds, microseconds, utcOffset };
    for (const [name, value] of Object.entries(values)) {
      if (value !== null && typeof value !== 'number') {
        throw invalid(`CimDateTime ${name} must be a number or null, got ${typeof value}`);
      }
    }
    const sign = utcOffset !== null && utcOffset < 0 ? '-' : '+';
    const text =
      field(year, 4) + field(month, 2) + field(day, 2) + field(hours, 2) + field(minutes, 2) +
      field(seconds, 2) + '.' + field(microseconds, 6) + sign +
      field(utcOffset === null ? null : Math.abs(utcOffset), 3);
    validate(values, text);
    const exact = exactText;
    exactText = undefined;
    this.year = year;
    this.month = month;
    this.day = day;
    this.hours = hours;
    this.minutes = minutes;
    this.seconds = seconds;
    this.microseconds = microseconds;
    this.utcOffset = utcOffset;
    this.#text = exact ?? text;
  }

  /** Strict parse of the 25-character DMTF form; only whole fields may be asterisks. */
  static parse(dmtf: string): CimDateTime {
    if (typeof dmtf !== 'string') throw invalid(`CimDateTime.parse expects a string, got ${typeof dmtf}`);
    if (dmtf.length !== 25) {
      throw invalid(`'${dmtf}' is not a CIM datetime: expected 25 characters yyyymmddHHMMSS.mmmmmmsUUU, got ${dmtf.length}`);
    }
    if (dmtf[14] !== '.') throw invalid(`'${dmtf}' is not a CIM datetime: expected '.' at position 14`);
    const sign = dmtf[21];
    if (sign !== '+' && sign !== '-') {
      throw invalid(`'${dmtf}' is not a CIM datetime: expected '+' or '-' at position 21`);
    }
    const offset = parseField(dmtf, 22, 3, 'UTC offset', true);
    // The canonical text differs from the input only in the sign of '000' or '***'; keep the input.
    exactText = dmtf;
    try {
      return new CimDateTime({
        year: parseField(dmtf, 0, 4, 'year', true),
        month: parseField(dmtf, 4, 2, 'month', true),
        day: parseField(dmtf, 6, 2, 'day', true),
        hours: parseField(dmtf, 8, 2, 'hours', true),
        minutes: parseField(dmtf, 10, 2, 'minutes', true),
        seconds: parseField(dmtf, 12, 2, 'seconds', true),
        microseconds: parseField(dmtf, 15, 6, 'microseconds', true),
        utcOffset: offset === null ? null : sign === '-' && offset !== 0 ? -offset : offset,
      });
    } finally {
      exactText = undefined;
    }
  }

  /**
   * The wall-clock time of `date` at `offsetMinutes` east of UTC (microseconds come from the
   * Date's milliseconds): `fromDate(new Date('2024-01-31T22:59:59Z'), 60)` is
   * `20240131235959.000000+060`.
   */
  static fromDate(date: Date, offsetMinutes = 0): CimDateTime {
    if (!(date instanceof Date)) throw invalid('CimDateTime.fromDate expects a Date');
    const time = date.getTime();
    if (Number.isNaN(time)) throw invalid('CimDateTime.fromDate: invalid Date');
    if (typeof offsetMinutes !== 'number' || !Number.isInteger(offsetMinutes) || offsetMinutes < -999 || offsetMinutes > 999) {
      throw invalid(`UTC offset ${String(offsetMinutes)} out of range -999..999 minutes`);
    }
    const local = new Date(time + offsetMinutes * 60_000);
    const year = local.getUTCFullYear();
    if (year < 0 || year > 9999) throw invalid(`year ${year} cannot be written as a CIM datetime (0..9999)`);
    return new CimDateTime({
      year,
      month: local.getUTCMonth() + 1,
      day: local.getUTCDate(),
      hours: local.getUTCHours(),
      minutes: local.getUTCMinutes(),
      seconds: local.getUTCSeconds(),
      microseconds: local.getUTCMilliseconds() * 1000,
      utcOffset: offsetMinutes,
    });
  }

  /** Accepts what a datetime property accepts: a Date (as UTC), a CimDateTime, or a DMTF string. */
  static from(value: Date | CimDateTime | string): CimDateTime {
    if (value instanceof CimDateTime) return value;
    if (value instanceof Date) return CimDateTime.fromDate(value);
    return CimDateTime.parse(value);
  }

  /** True when any field (or the offset) is unknown. */
  get hasWildcards(): boolean {
    return this.#text.includes('*');
  }

  /** The instant as a Date; sub-millisecond digits are truncated. Throws if any field is unknown. */
  toDate(): Date {
    const { year, month, day, hours, minutes, seconds, microseconds, utcOffset } = this;
    if (
      year === null || month === null || day === null || hours === null || minutes === null ||
      seconds === null || microseconds === null || utcOffset === null
    ) {
      throw invalid(`CimDateTime ${this.#text} has unknown fields and cannot become a Date`);
    }
    const d = new Date(0);
    d.setUTCFullYear(year, month - 1, day);
    d.setUTCHours(hours, minutes, seconds, Math.floor(microseconds / 1000));
    return new Date(d.getTime() - utcOffset * 60_000);
  }

  /** The exact 25-character DMTF string. */
  toString(): string {
    return this.#text;
  }

  toJSON(): string {
    return this.#text;
  }

  /** Same DMTF string (WMI's comparison: `+000` and `-000`, or `+***` and `+000`, differ). */
  equals(other: unknown): boolean {
    return other instanceof CimDateTime && other.#text === this.#text;
  }

  get [Symbol.toStringTag](): string {
    return 'CimDateTime';
  }

  [inspectSymbol](): string {
    return `CimDateTime(${this.#text})`;
  }
}

function validate(
  v: {
    year: number | null; month: number | null; day: number | null; hours: number | null;
    minutes: number | null; seconds: number | null; microseconds: number | null; utcOffset: number | null;
  },
  text: string,
): void {
  const source = `'${text}'`;
  checkRange(v.year, 0, 9999, 'year', source);
  checkRange(v.month, 1, 12, 'month', source);
  checkRange(v.day, 1, daysInMonth(v.year, v.month), 'day', source);
  checkRange(v.hours, 0, 23, 'hours', source);
  checkRange(v.minutes, 0, 59, 'minutes', source);
  checkRange(v.seconds, 0, 59, 'seconds', source);
  checkRange(v.microseconds, 0, 999_999, 'microseconds', source);
  checkRange(v.utcOffset, -999, 999, 'UTC offset', source);
}

/** The fields of a CIM interval; omitted fields are 0. */
export interface CimIntervalFields {
  days?: number;
  hours?: number;
  minutes?: number;
  seconds?: number;
  microseconds?: number;
}

const MICROS_PER_SECOND = 1_000_000n;
const MICROS_PER_DAY = 86_400n * MICROS_PER_SECOND;
const MAX_DAYS = 99_999_999;

/**
 * A CIM interval (a datetime property with `SubType("interval")`), `ddddddddHHMMSS.mmmmmm:000`:
 * up to 99 999 999 days with microsecond precision. No field may be unknown. Immutable.
 */
export class CimInterval {
  readonly days: number;
  readonly hours: number;
  readonly minutes: number;
  readonly seconds: number;
  readonly microseconds: number;
  readonly #text: string;

  constructor(fields: CimIntervalFields = {}) {
    if (typeof fields !== 'object' || fields === null) throw invalid('CimInterval needs an object of fields');
    const days = fields.days ?? 0;
    const hours = fields.hours ?? 0;
    const minutes = fields.minutes ?? 0;
    const seconds = fields.seconds ?? 0;
    const microseconds = fields.microseconds ?? 0;
    const values = { days, hours, minutes, seconds, microseconds };
    for (const [name, value] of Object.entries(values)) {
      if (typeof value !== 'number') throw invalid(`CimInterval ${name} must be a number, got ${typeof value}`);
    }
    const text =
      pad(days, 8) + pad(hours, 2) + pad(minutes, 2) + pad(seconds, 2) + '.' + pad(microseconds, 6) + ':000';
    const source = `interval '${text}'`;
    checkRange(days, 0, MAX_DAYS, 'days', source);
    checkRange(hours, 0, 23, 'hours', source);
    checkRange(minutes, 0, 59, 'minutes', source);
    checkRange(seconds, 0, 59, 'seconds', source);
    checkRange(microseconds, 0, 999_999, 'microseconds', source);
    this.days = days + 0;
    this.hours = hours + 0;
    this.minutes = minutes + 0;
    this.seconds = seconds + 0;
    this.microseconds = microseconds + 0;
    this.#text = text;
  }

  /** Strict parse of the 25-character interval form (no asterisks). */
  static parse(dmtf: string): CimInterval {
    if (typeof dmtf !== 'string') throw invalid(`CimInterval.parse expects a string, got ${typeof dmtf}`);
    if (dmtf.length !== 25) {
      throw invalid(`'${dmtf}' is not a CIM interval: expected 25 characters ddddddddHHMMSS.mmmmmm:000, got ${dmtf.length}`);
    }
    if (dmtf[14] !== '.') throw invalid(`'${dmtf}' is not a CIM interval: expected '.' at position 14`);
    if (dmtf.slice(21) !== ':000') throw invalid(`'${dmtf}' is not a CIM interval: expected ':000' at the end`);
    return new CimInterval({
      days: parseField(dmtf, 0, 8, 'days', false) as number,
      hours: parseField(dmtf, 8, 2, 'hours', false) as number,
      minutes: parseField(dmtf, 10, 2, 'minutes', false) as number,
      seconds: parseField(dmtf, 12, 2, 'seconds', false) as number,
      microseconds: parseField(dmtf, 15, 6, 'microseconds', false) as number,
    });
  }

  /** A non-negative duration in microseconds, normalised into days … microseconds. */
  static fromMicroseconds(us: bigint): CimInterval {
    if (typeof us !== 'bigint') throw invalid(`CimInterval.fromMicroseconds expects a bigint, got ${typeof us}`);
    if (us < 0n) throw invalid(`interval ${us}us is negative`);
    const days = us / MICROS_PER_DAY;
    if (days > BigInt(MAX_DAYS)) throw invalid(`interval ${us}us exceeds ${MAX_DAYS} days`);
    let rest = us % MICROS_PER_DAY;
    const micros = rest % MICROS_PER_SECOND;
    rest /= MICROS_PER_SECOND;
    return new CimInterval({
      days: Number(days),
      hours: Number(rest / 3600n),
      minutes: Number((rest / 60n) % 60n),
      seconds: Number(rest % 60n),
      microseconds: Number(micros),
    });
  }

  /** A non-negative duration in milliseconds (fractions down to the microsecond are kept). */
  static fromMilliseconds(ms: number): CimInterval {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
      throw invalid(`interval of ${String(ms)} ms is not a finite non-negative number`);
    }
    const whole = Math.trunc(ms);
    const fraction = Math.round((ms - whole) * 1000);
    return CimInterval.fromMicroseconds(BigInt(whole) * 1000n + BigInt(fraction));
  }

  /** Accepts what an interval property accepts: a CimInterval or a DMTF interval string. */
  static from(value: CimInterval | string): CimInterval {
    return value instanceof CimInterval ? value : CimInterval.parse(value);
  }

  get totalMicroseconds(): bigint {
    return (
      BigInt(this.days) * MICROS_PER_DAY +
      BigInt(((this.hours * 60 + this.minutes) * 60 + this.seconds)) * MICROS_PER_SECOND +
      BigInt(this.microseconds)
    );
  }

  /** The duration in milliseconds as a number (may round above 2^53 µs). */
  get totalMilliseconds(): number {
    return Number(this.totalMicroseconds) / 1000;
  }

  toString(): string {
    return this.#text;
  }

  toJSON(): string {
    return this.#text;
  }

  equals(other: unknown): boolean {
    return other instanceof CimInterval && other.#text === this.#text;
  }

  get [Symbol.toStringTag](): string {
    return 'CimInterval';
  }

  [inspectSymbol](): string {
    return `CimInterval(${this.#text})`;
  }
}
