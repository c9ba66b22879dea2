/**
 * Policy settings: one environment variable per policy field (`SCALER_` + UPPER_SNAKE name, from
 * POLICY_FIELDS), overridden per target in SCALER_TARGETS and per dry run by invoke overrides.
 * Precedence: override > target > global variable > default.
 */
import { POLICY_FIELD_NAMES, POLICY_FIELDS, type Policy, resolvePolicy, validatePolicy } from '../decision/index.js';
import { type Env, EnvReader } from './env-reader.js';
import { quote } from './problem-text.js';

export type PolicyOverrides = Partial<Policy>;

/** Global policy from the environment; problems name the variable. */
export function parsePolicyEnv(env: Env): { overrides: PolicyOverrides; problems: string[] } {
  const overrides: Record<string, number | boolean> = {};
  const read = new EnvReader(env);
  for (const name of POLICY_FIELD_NAMES) {
    const spec = POLICY_FIELDS[name];
    // Only what is set: the policy's own defaults and the targets' fields layer underneath.
    const value = spec.kind === 'boolean' ? read.optionalBoolean(spec.env) : read.optionalNumber(spec.env);
    if (value !== undefined) overrides[name] = value;
  }
  const problems = [...read.problems];
  // Range checks are the policy's own, reworded to name the variable.
  for (const problem of validatePolicy(resolvePolicy(overrides as PolicyOverrides))) {
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

/** The merged policy's own problems, each prefixed with where it came from. */
export function policyProblems(policy: Policy, where: string): string[] {
  return validatePolicy(policy).map((problem) => `${where}.${problem}`);
}

/** `minTasks: …` → `SCALER_MIN_TASKS: …` (any leading field name). */
function renameField(problem: string, rename: (field: string) => string): string {
  return problem.replace(/^(\w+)/, (field) => rename(field));
}
