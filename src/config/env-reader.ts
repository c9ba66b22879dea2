/**
 * Reads typed settings from environment variables, collecting every problem (each naming its
 * variable) instead of stopping at the first. A blank value counts as unset. It remembers every
 * name it was asked for, so variables nobody reads (misspellings) can be named too.
 */
import { DECIMAL, quote } from './problem-text.js';

export type Env = Record<string, string | undefined>;

const TRUE = new Set(['true', '1', 'yes']);
const FALSE = new Set(['false', '0', 'no']);

export class EnvReader {
  readonly problems: string[] = [];
  /** Every variable read so far. */
  readonly names = new Set<string>();

  constructor(private readonly env: Env) {}

  /** The trimmed value, or undefined when unset or blank. */
  string(name: string): string | undefined {
    this.names.add(name);
    const value = Object.hasOwn(this.env, name) ? this.env[name]?.trim() : undefined;
    return value === undefined || value === '' ? undefined : value;
  }

  integer(name: string, bounds: { min: number; max: number }, fallback: number): number {
    return this.numeric(name, bounds, fallback, true);
  }

  boolean(name: string, fallback: boolean): boolean {
    return this.optionalBoolean(name) ?? fallback;
  }

  /** true or false when set (true/1/yes, false/0/no), else undefined. */
  optionalBoolean(name: string): boolean | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    if (TRUE.has(raw.toLowerCase())) return true;
    if (FALSE.has(raw.toLowerCase())) return false;
    return this.problem(name, `must be true or false, got ${quote(raw)}`, undefined);
  }

  /** A decimal number when set, else undefined; its bounds are the caller's to check. */
  optionalNumber(name: string): number | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    const value = DECIMAL.test(raw) ? Number(raw) : Number.NaN;
    return Number.isFinite(value) ? value : this.problem(name, `must be a number in decimal digits, got ${quote(raw)}`, undefined);
  }

  oneOf<const T extends string>(name: string, values: readonly T[], fallback: T): T {
    const raw = this.string(name);
    if (raw === undefined) return fallback;
    if ((values as readonly string[]).includes(raw)) return raw as T;
    return this.problem(name, `must be one of ${values.join(', ')}, got ${quote(raw)}`, fallback);
  }

  /** A value that must match `pattern`; `hint` says what it should look like. */
  matching(name: string, pattern: RegExp, hint: string): string | undefined {
    const raw = this.string(name);
    if (raw === undefined || pattern.test(raw)) return raw;
    return this.problem(name, hint, undefined);
  }

  /** A comma-separated list whose every item matches `pattern`. */
  list(name: string, pattern: RegExp, hint: string): string[] | undefined {
    const items = this.string(name)
      ?.split(',')
      .map((item) => item.trim())
      .filter(Boolean);
    if (!items || items.length === 0) return undefined;
    const bad = items.filter((item) => !pattern.test(item));
    if (bad.length === 0) return items;
    return this.problem(
      name,
      `${hint} (not: ${bad.slice(0, 5).map(quote).join(', ')}${bad.length > 5 ? `, and ${bad.length - 5} more` : ''})`,
      undefined,
    );
  }

  problem<T>(name: string, message: string, fallback: T): T {
    this.problems.push(`${name}: ${message}`);
    return fallback;
  }

  private numeric(name: string, { min, max }: { min: number; max: number }, fallback: number, whole: boolean): number {
    const raw = this.string(name);
    if (raw === undefined) return fallback;
    const value = DECIMAL.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isFinite(value) || (whole && !Number.isInteger(value))) {
      return this.problem(name, `must be a ${whole ? 'whole number' : 'number'} in decimal digits, got ${quote(raw)}`, fallback);
    }
    if (value < min) return this.problem(name, `must be at least ${min}, got ${value}`, fallback);
    if (value > max) return this.problem(name, `must be at most ${max}, got ${value}`, fallback);
    return value;
  }
}
