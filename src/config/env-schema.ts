/**
 * Small zod helpers for reading environment variables: every value arrives as a string (or not at
 * all), and every error message must name the variable. Used by every settings schema.
 */
import { z } from 'zod';

export type Env = Record<string, string | undefined>;

/** Blank counts as unset, so `FOO=` falls back to the default like an absent variable. */
const blankAsUnset = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

export function integerVar(min: number, max: number) {
  return z.preprocess(
    blankAsUnset,
    z.coerce
      .number({ error: 'must be a whole number' })
      .int({ error: 'must be a whole number' })
      .min(min, { error: `must be at least ${min}` })
      .max(max, { error: `must be at most ${max}` }),
  );
}

export function numberVar(min: number, max: number) {
  return z.preprocess(
    blankAsUnset,
    z.coerce
      .number({ error: 'must be a number' })
      .refine(Number.isFinite, { error: 'must be a finite number' })
      .pipe(z.number().min(min, { error: `must be at least ${min}` }).max(max, { error: `must be at most ${max}` })),
  );
}

export function booleanVar() {
  return z.preprocess(
    blankAsUnset,
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
      .transform((v) => v === 'true' || v === '1' || v === 'yes'),
  );
}

export function enumVar<const T extends readonly [string, ...string[]]>(values: T) {
  return z.preprocess(blankAsUnset, z.enum(values, { error: `must be one of ${values.join(', ')}` }));
}

export function stringVar() {
  return z.preprocess(blankAsUnset, z.string());
}

/** Turns zod issues into "VARIABLE: problem" lines, one per problem. */
export function describeIssues(error: z.ZodError, prefix = ''): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return `${prefix}${path || '(settings)'}: ${issue.message}`;
  });
}
