/**
 * SCALER_TARGETS: the consumer groups and the ECS services that consume them, each with its own
 * policy fields on top of the global ones. Every problem is named `SCALER_TARGETS[i] (name).field`;
 * two targets that would fight over one service, or size for the same lag, are refused.
 */

import type { Policy } from '../decision/index.js';
import { isPolicyField, mergePolicy, type PolicyOverrides, pickPolicyOverrides, policyProblems } from './policy-settings.js';
import { didYouMean, quote, unquoted } from './problem-text.js';

/** A consumer group and the ECS service that consumes it. */
export interface Target {
  /** Unique name: the metrics dimension, the log key, and what a dry run selects by. */
  name: string;
  group: string;
  /** Topics whose lag counts; none: every topic the group has committed on. */
  topics?: string[];
  /**
   * The group may have no committed offset yet (a new service): its lag then follows the reset
   * policy. Off by default, so a misspelt or expired group is held instead of read as caught up.
   */
  allowNoCommits: boolean;
  cluster: string;
  service: string;
  /** The target's own policy fields, on top of the global ones. */
  overrides: PolicyOverrides;
  /** Defaults < global variables < the target's own fields. */
  policy: Policy;
  /** Held at this count by the operator (0 to maxTasks), whatever the lag; the control parameter can pin without a deploy. */
  pinnedTasks?: number;
}

const TARGET_KEYS = new Set(['name', 'group', 'topics', 'cluster', 'service', 'allowNoCommits', 'pinnedTasks']);
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Kafka's legal topic names. */
const TOPIC = /^[A-Za-z0-9._-]{1,249}$/;
/** A group id: any printable text Kafka takes (no control characters), up to 255 characters. */
const GROUP = /^[^\p{Cc}]{1,255}$/u;
/** An ECS cluster or service, by name or by ARN. */
const ECS_NAME = /^([A-Za-z0-9_-]{1,255}|arn:aws[\w-]*:ecs:[\w-]+:\d{12}:(cluster|service)\/[A-Za-z0-9_/-]{1,512})$/;

/**
 * Why a pin is refused, or undefined: a whole number from 0 (consumers stopped on purpose) to
 * maxTasks. Below minTasks is allowed: a pin is an operator's order. A number is shown bare: quoted,
 * 9 would read like the text "9", and a pin typed as "6" like an in-range 6.
 */
export function pinProblem(pin: unknown, maxTasks: number): string | undefined {
  if (typeof pin === 'number' && Number.isInteger(pin) && pin >= 0 && pin <= maxTasks) return undefined;
  return `must be a whole number from 0 to maxTasks (${maxTasks}), got ${typeof pin === 'number' ? pin : quote(pin)}`;
}

/** SCALER_TARGETS: a JSON array of targets; every problem is named `SCALER_TARGETS[i] (name).field`. */
export function parseTargets(raw: string | undefined, globalPolicy: PolicyOverrides): { targets: Target[]; problems: string[] } {
  if (raw === undefined || raw.trim() === '') return { targets: [], problems: ['SCALER_TARGETS: is required: a JSON array of targets'] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    return { targets: [], problems: [`SCALER_TARGETS: is not valid JSON (${(error as Error).message})`] };
  }
  if (!Array.isArray(parsed) || parsed.length === 0) {
    return { targets: [], problems: ['SCALER_TARGETS: must be a non-empty JSON array of targets'] };
  }

  const problems: string[] = [];
  const targets: Target[] = [];
  const names = new Map<string, number>();
  const services = new Map<string, number>();
  const groups: Array<{ index: number; group: string; topics?: string[] }> = [];
  parsed.forEach((entry, index) => {
    const where = `SCALER_TARGETS[${index}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      problems.push(`${where}: must be an object with name, group, cluster and service`);
      return;
    }
    const record = entry as Record<string, unknown>;
    const label = typeof record.name === 'string' ? `${where} (${unquoted(record.name)})` : where;
    const before = problems.length;

    const text = (key: string, pattern?: RegExp, hint?: string): string | undefined => {
      const value = Object.hasOwn(record, key) ? record[key] : undefined;
      if (typeof value !== 'string' || value.trim() === '') problems.push(`${label}.${key}: is required (a non-empty string)`);
      else if (pattern && !pattern.test(value)) problems.push(`${label}.${key}: ${hint}`);
      else return value;
      return undefined;
    };
    const name = text('name', NAME, 'must be 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit');
    const group = text('group', GROUP, 'must be 1–255 characters without control characters');
    const cluster = text('cluster', ECS_NAME, 'must be an ECS cluster name (letters, digits, "-", "_") or ARN');
    const service = text('service', ECS_NAME, 'must be an ECS service name (letters, digits, "-", "_") or ARN');
    let topics: string[] | undefined;
    if (Object.hasOwn(record, 'topics')) {
      const value = record.topics;
      if (!Array.isArray(value) || value.length === 0 || !value.every((t) => typeof t === 'string' && TOPIC.test(t))) {
        problems.push(
          `${label}.topics: must be a non-empty array of Kafka topic names (letters, digits, ".", "_", "-"; leave it out for every topic the group committed on)`,
        );
      } else {
        const repeated = value.filter((t, i) => value.indexOf(t) !== i);
        // Counted twice, a topic would double the lag, the partition count and the task cap.
        if (repeated.length > 0) problems.push(`${label}.topics: names ${[...new Set(repeated)].map(quote).join(', ')} more than once`);
        else topics = value as string[];
      }
    }
    let allowNoCommits = false;
    if (Object.hasOwn(record, 'allowNoCommits')) {
      if (typeof record.allowNoCommits !== 'boolean')
        problems.push(`${label}.allowNoCommits: must be true or false, got ${quote(record.allowNoCommits)}`);
      else allowNoCommits = record.allowNoCommits;
    }
    for (const key of Object.keys(record)) {
      if (!TARGET_KEYS.has(key) && !isPolicyField(key)) {
        problems.push(
          `${label}.${unquoted(key)}: is not a target field or a policy setting${didYouMean(key, [...TARGET_KEYS, ...Object.keys(mergePolicy())])}`,
        );
      }
    }
    const own = pickPolicyOverrides(record, label);
    problems.push(...own.problems);
    const policy = mergePolicy(globalPolicy, own.overrides);
    if (own.problems.length === 0) problems.push(...policyProblems(policy, label));
    let pinnedTasks: number | undefined;
    if (Object.hasOwn(record, 'pinnedTasks')) {
      const refused = pinProblem(record.pinnedTasks, policy.maxTasks);
      if (refused !== undefined) problems.push(`${label}.pinnedTasks: ${refused}`);
      else pinnedTasks = record.pinnedTasks as number;
    }

    if (name !== undefined) {
      if (names.has(name)) problems.push(`${label}.name: ${quote(name)} is already used by SCALER_TARGETS[${names.get(name)}]`);
      else names.set(name, index);
    }
    if (cluster !== undefined && service !== undefined) {
      // Two targets driving one service would fight each other, however the service is written.
      const key = `${lastSegment(cluster)}/${lastSegment(service)}`;
      if (services.has(key))
        problems.push(
          `${label}.service: ${unquoted(`${cluster}/${service}`)} is the service SCALER_TARGETS[${services.get(key)}] already scales`,
        );
      else services.set(key, index);
    }
    if (group !== undefined) {
      // Two targets sizing for the same lag would each add tasks for all of it.
      const rival = groups.find((g) => g.group === group && (!g.topics || !topics || g.topics.some((t) => topics?.includes(t))));
      if (rival) problems.push(`${label}.group: ${quote(group)} on the same topics is already the lag of SCALER_TARGETS[${rival.index}]`);
      groups.push({ index, group, ...(topics ? { topics } : {}) });
    }
    if (problems.length === before && name && group && cluster && service) {
      targets.push({
        name,
        group,
        ...(topics ? { topics } : {}),
        allowNoCommits,
        cluster,
        service,
        overrides: own.overrides,
        policy,
        ...(pinnedTasks !== undefined ? { pinnedTasks } : {}),
      });
    }
  });
  return { targets, problems };
}

/** A cluster or service as ECS names it, whether given by name or by ARN (`…:cluster/prod`, `…:service/prod/orders`). */
function lastSegment(nameOrArn: string): string {
  return nameOrArn.startsWith('arn:') ? (nameOrArn.split('/').at(-1) ?? nameOrArn) : nameOrArn;
}
