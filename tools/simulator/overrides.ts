/**
 * Command-line settings overrides, `key=value,key=value`, checked against a table of fields so a
 * typo fails loudly with the offending key instead of silently simulating the defaults.
 */
export interface FieldSpec {
  kind: 'integer' | 'number' | 'boolean';
  min?: number;
  max?: number;
}

export class OverrideError extends Error {
  override name = 'OverrideError';
}

export function parseOverrides(text: string, fields: Readonly<Record<string, FieldSpec>>): Record<string, number | boolean> {
  const overrides: Record<string, number | boolean> = {};
  for (const pair of text.split(',').filter((p) => p.trim() !== '')) {
    const separator = pair.indexOf('=');
    if (separator < 0) throw new OverrideError(`"${pair}": expected key=value`);
    const key = pair.slice(0, separator).trim();
    const raw = pair.slice(separator + 1).trim();
    const spec = Object.hasOwn(fields, key) ? fields[key] : undefined;
    if (spec === undefined) {
      throw new OverrideError(`unknown setting "${key}"; known: ${Object.keys(fields).join(', ')}`);
    }
    overrides[key] = parseValue(key, raw, spec);
  }
  return overrides;
}

function parseValue(key: string, raw: string, spec: FieldSpec): number | boolean {
  if (spec.kind === 'boolean') {
    if (raw === 'true' || raw === 'false') return raw === 'true';
    throw new OverrideError(`${key}: expected true or false, got "${raw}"`);
  }
  return checkValue(key, raw === '' ? NaN : Number(raw), spec, `"${raw}"`);
}

/**
 * Settings already parsed from JSON (a trace's `.model.json`): the same table and the same checks
 * as the command line, each error prefixed with `source` so it names the file and the field.
 */
export function checkSettings(
  settings: unknown,
  fields: Readonly<Record<string, FieldSpec>>,
  source: string,
): Record<string, number | boolean> {
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
    throw new OverrideError(`${source}: expected a JSON object of settings`);
  }
  const checked: Record<string, number | boolean> = {};
  for (const [key, value] of Object.entries(settings)) {
    const spec = Object.hasOwn(fields, key) ? fields[key] : undefined;
    try {
      if (spec === undefined) throw new OverrideError(`unknown setting "${key}"; known: ${Object.keys(fields).join(', ')}`);
      if (spec.kind === 'boolean') {
        if (typeof value !== 'boolean') throw new OverrideError(`${key}: expected true or false, got ${JSON.stringify(value)}`);
        checked[key] = value;
      } else {
        checked[key] = checkValue(key, typeof value === 'number' ? value : NaN, spec, JSON.stringify(value));
      }
    } catch (error) {
      if (error instanceof OverrideError) throw new OverrideError(`${source}: ${error.message}`);
      throw error;
    }
  }
  return checked;
}

/** `shown` is the value as the user wrote it, for the error. */
function checkValue(key: string, value: number, spec: FieldSpec, shown: string): number {
  if (!Number.isFinite(value)) throw new OverrideError(`${key}: expected a number, got ${shown}`);
  if (spec.kind === 'integer' && !Number.isInteger(value)) {
    throw new OverrideError(`${key}: expected a whole number, got ${shown}`);
  }
  if (spec.min !== undefined && value < spec.min) throw new OverrideError(`${key}: must be at least ${spec.min}, got ${value}`);
  if (spec.max !== undefined && value > spec.max) throw new OverrideError(`${key}: must be at most ${spec.max}, got ${value}`);
  return value;
}
