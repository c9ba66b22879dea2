/**
 * A policy's checks: each field's kind and bounds as POLICY_FIELDS declares them, and the rule across
 * fields (minTasks no more than maxTasks). `decide` runs them first and holds on any problem.
 */
import { POLICY_FIELD_NAMES, POLICY_FIELDS, type Policy, type PolicyField } from './policy.js';

/** Every problem with a policy, each naming its field; empty when the policy is usable. */
export function validatePolicy(policy: unknown): string[] {
  if (typeof policy !== 'object' || policy === null) return ['policy: must be an object'];
  const record = policy as Record<string, unknown>;
  const problems = POLICY_FIELD_NAMES.flatMap((name) => fieldProblems(name, record[name]));
  if (problems.length === 0) {
    const valid = policy as Policy;
    if (valid.minTasks > valid.maxTasks) {
      problems.push(`minTasks: ${valid.minTasks} is more than maxTasks (${valid.maxTasks})`);
    }
  }
  return problems;
}

function fieldProblems(name: keyof Policy, value: unknown): string[] {
  const spec: PolicyField = POLICY_FIELDS[name];
  if (spec.kind === 'boolean') {
    return typeof value === 'boolean' ? [] : [`${name}: must be true or false, got ${String(value)}`];
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return [`${name}: must be a finite number, got ${String(value)}`];
  }
  const problems: string[] = [];
  if (spec.kind === 'integer' && !Number.isInteger(value)) problems.push(`${name}: must be a whole number, got ${value}`);
  if (spec.min !== undefined && value < spec.min) problems.push(`${name}: must be at least ${spec.min}, got ${value}`);
  if (spec.max !== undefined && value > spec.max) problems.push(`${name}: must be at most ${spec.max}, got ${value}`);
  return problems;
}
