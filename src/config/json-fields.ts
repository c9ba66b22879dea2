/**
 * The fields of a JSON document the controller takes (a target in SCALER_TARGETS, a hand-run
 * payload), declared as settings are (setting.ts): kind, bounds, default and meaning, without a
 * variable. One reader validates them all; every problem names `where.field` and what it must be.
 * Rules across fields (a pin within the target's maxTasks) are each document's own `validate`.
 */
import { didYouMean, quote, unquoted } from './problem-text.js';

export type Field =
  | { kind: 'boolean'; default: boolean; description: string }
  | { kind: 'integer'; min: number; max: number; hint?: string; description: string }
  | { kind: 'text'; pattern: RegExp; hint: string; description: string }
  /** A non-empty array of distinct texts, each matching `pattern` (`item` says what each must be). */
  | { kind: 'list'; pattern: RegExp; hint: string; item: string; description: string }
  /** An object whose own keys are read by another declaration (a payload's policy overrides). */
  | { kind: 'object'; hint: string; description: string };

export type Fields = Record<string, Field & { required?: true }>;

type ValueOf<F extends Field> = F extends { kind: 'boolean' }
  ? boolean
  : F extends { kind: 'integer' }
    ? number
    : F extends { kind: 'list' }
      ? string[]
      : F extends { kind: 'object' }
        ? Record<string, unknown>
        : string;

/** What was read: the fields given (and the defaults of those that have one); required ones are there when no problem was said. */
export type FieldValues<D extends Fields> = { [K in keyof D]?: ValueOf<D[K]> };

export interface UnknownKeys {
  /** What a key must be, e.g. "a target field or a policy setting". */
  what: string;
  /** Keys another declaration reads (a target's policy fields): not unknown. */
  alsoKnown?: readonly string[];
}

/**
 * Reads the declared fields of `record` into typed values, pushing each problem to `problems`.
 * Keys that no declaration reads are named too, with the nearest known one.
 */
export function readFields<D extends Fields>(
  record: Record<string, unknown>,
  fields: D,
  where: string,
  problems: string[],
  unknown: UnknownKeys,
): FieldValues<D> {
  const values: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(fields)) {
    const path = `${where}.${key}`;
    if (!Object.hasOwn(record, key)) {
      if (field.required) problems.push(`${path}: is required (${mustBe(field)})`);
      else if (field.kind === 'boolean') values[key] = field.default;
      continue;
    }
    const problem = fieldProblem(field, record[key]);
    if (problem === undefined) values[key] = record[key];
    else problems.push(`${path}${problem}`);
  }
  const known = [...Object.keys(fields), ...(unknown.alsoKnown ?? [])];
  for (const key of Object.keys(record)) {
    if (!known.includes(key)) problems.push(`${where}.${unquoted(key)}: is not ${unknown.what}${didYouMean(key, known)}`);
  }
  return values as FieldValues<D>;
}

/** What a field's value must be, in a problem's words. */
export function mustBe(field: Field): string {
  switch (field.kind) {
    case 'boolean':
      return 'true or false';
    case 'integer':
      return field.hint ?? `a whole number from ${field.min} to ${field.max}`;
    default:
      return field.hint;
  }
}

/** Why `value` is not a value of `field` (as `: must be …` or `.i: …` for a list item), or undefined. */
function fieldProblem(field: Field, value: unknown): string | undefined {
  const wrong = `: must be ${mustBe(field)}, got ${shown(value)}`;
  switch (field.kind) {
    case 'boolean':
      return typeof value === 'boolean' ? undefined : wrong;
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) && value >= field.min && value <= field.max ? undefined : wrong;
    case 'text':
      if (typeof value !== 'string' || value.trim() === '') return `: is required (${mustBe(field)})`;
      return field.pattern.test(value) ? undefined : `: must be ${mustBe(field)}`;
    case 'list': {
      if (!Array.isArray(value) || value.length === 0) return wrong;
      const bad = value.findIndex((item) => typeof item !== 'string' || !field.pattern.test(item));
      if (bad >= 0) return `.${bad}: must be ${field.item}, got ${shown(value[bad])}`;
      const repeated = [...new Set(value.filter((item, i) => value.indexOf(item) !== i))];
      return repeated.length > 0 ? `: names ${repeated.map(quote).join(', ')} more than once` : undefined;
    }
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value) ? undefined : wrong;
  }
}

/** A number bare (quoted, 9 would read like the text "9", and "6" like an in-range 6), anything else quoted. */
function shown(value: unknown): string {
  return typeof value === 'number' ? String(value) : quote(value);
}
