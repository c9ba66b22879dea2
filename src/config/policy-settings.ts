/**
 * Policy settings: one environment variable per policy field (`SCALER_` + UPPER_SNAKE name, from
 * POLICY_FIELDS), overridden per target in SCALER_TARGETS and per dry run by invoke overrides.
 * Precedence: override > target > global variable > default.
 */
import { POLICY_FIELD_NAMES, POLICY_FIELDS, type Policy, validatePolicy } from '../decision/index.js';
import type { Env } from './env-reader.js';
import { DECIMAL, quote } from './problem-text.js';

export type PolicyOverrides = Partial<Policy>;

const TRUE = new Set(['true', '1', 'yes']);
const FALSE = new Set(['false', '0', 'no']);

/** Global policy from the environment; problems name the variable. */
export function parsePolicyEnv(env: Env): { overrides: PolicyOverrides; problems: string[] } {
  const overrides: Record<string, number | boolean> = {};
  const problems: string[] = [];
  for (const name of POLICY_FIELD_NAMES) {
    const spec = POLICY_FIELDS[name];
    const raw = Object.hasOwn(env, spec.env) ? env[spec.env]?.trim() : undefined;
    if (raw === undefined || raw === '') continue;
    if (spec.kind === 'boolean') {
      if (TRUE.has(raw.toLowerCase())) overrides[name] = true;
      else if (FALSE.has(raw.toLowerCase())) overrides[name] = false;
      else problems.push(`${spec.env}: must be true or false, got ${quote(raw)}`);
      continue;
    }
    const value = DECIMAL.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isFinite(value)) problems.push(`${spec.env}: must be a number in decimal digits, got ${quote(raw)}`);
    else overrides[name] = value;
  }
  // Range checks are the policy's own, reworded to name the variable.
  for (const problem of validatePolicy(mergePolicy(overrides as PolicyOverrides))) {
    problems.push(renameField(problem, (field) => POLICY_FIELDS[field as keyof Policy]?.env ?? field));
  }
  return { overrides: overrides as PolicyOverrides, problems: [...new Set(problems)] };
}

/**
 * Reads the policy fields of a JSON object (a target, or a dry-run's overrides). Unknown keys are
 * left to the caller; wrong types are listed, each naming `where` and the field.
 */
export function pickPolicyOverrides(record: Record<string, unknown>, where: string): { overrides: PolicyOverrides; problems: string[] } {
  const overrides: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const name of POLICY_FIELD_NAMES) {
    if (!Object.hasOwn(record, name)) continue;
    const value = record[name];
    const kind = POLICY_FIELDS[name].kind;
    if (kind === 'boolean' ? typeof value !== 'boolean' : typeof value !== 'number' || !Number.isFinite(value)) {
      problems.push(`${where}.${name}: must be ${kind === 'boolean' ? 'true or false' : 'a number'}, got ${quote(value)}`);
      continue;
    }
    overrides[name] = value;
  }
  return { overrides: overrides as PolicyOverrides, problems };
}

export function isPolicyField(key: string): key is keyof Policy {
  return Object.hasOwn(POLICY_FIELDS, key);
}

/** Every policy setting's environment variable. */
export const POLICY_VARIABLES: ReadonlySet<string> = new Set(POLICY_FIELD_NAMES.map((name) => POLICY_FIELDS[name].env));

/** Layers overrides on the defaults, later layers winning. */
export function mergePolicy(...layers: PolicyOverrides[]): Policy {
  return Object.assign({}, ...POLICY_FIELD_NAMES.map((name) => ({ [name]: POLICY_FIELDS[name].default })), ...layers) as Policy;
}

/** The merged policy's own problems, each prefixed with where it came from. */
export function policyProblems(policy: Policy, where: string): string[] {
  return validatePolicy(policy).map((problem) => `${where}.${problem}`);
}

/** `minTasks: …` → `SCALER_MIN_TASKS: …` (any leading field name). */
function renameField(problem: string, rename: (field: string) => string): string {
  return problem.replace(/^(\w+)/, (field) => rename(field));
}
