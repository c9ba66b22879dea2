/**
 * SCALER_TARGETS: the consumer groups and the ECS services that consume them, each with its own
 * policy fields on top of the global ones. Every problem is named `SCALER_TARGETS[i] (name).field`;
 * two targets that would fight over one service, or size for the same lag, are refused.
 */

import { POLICY_FIELD_NAMES, type Policy, resolvePolicy } from '../decision/index.js';
import { type Field, type Fields, readFields } from './json-fields.js';
import { type PolicyOverrides, pickPolicyOverrides, policyProblems } from './policy-settings.js';
import { quote, unquoted } from './problem-text.js';

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

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Kafka's legal topic names. */
const TOPIC = /^[A-Za-z0-9._-]{1,249}$/;
/** A group id: any printable text Kafka takes (no control characters), up to 255 characters. */
const GROUP = /^[^\p{Cc}]{1,255}$/u;
/** An ECS cluster or service, by name or by ARN. */
const ECS_NAME = /^([A-Za-z0-9_-]{1,255}|arn:aws[\w-]*:ecs:[\w-]+:\d{12}:(cluster|service)\/[A-Za-z0-9_/-]{1,512})$/;

/** A target's own fields; any policy field (by its field name) may stand beside them, for this target only. */
export const TARGET_FIELDS = {
  name: {
    kind: 'text',
    required: true,
    pattern: NAME,
    hint: '1–64 letters, digits, ".", "_" or "-", starting with a letter or digit',
    description: 'Unique: the metrics dimension, the log key, and what a dry run selects by.',
  },
  group: {
    kind: 'text',
    required: true,
    pattern: GROUP,
    hint: '1–255 characters without control characters',
    description: 'The consumer group whose lag sizes the service.',
  },
  topics: {
    kind: 'list',
    pattern: TOPIC,
    hint: 'a non-empty array of Kafka topic names (letters, digits, ".", "_", "-"; leave it out for every topic the group committed on)',
    item: 'a Kafka topic name (letters, digits, ".", "_", "-")',
    description:
      'Topics whose lag counts, each once (counted twice, a topic would double the lag and the task cap). Unset: every topic the group has committed on.',
  },
  cluster: {
    kind: 'text',
    required: true,
    pattern: ECS_NAME,
    hint: 'an ECS cluster name (letters, digits, "-", "_") or ARN',
    description: 'The ECS cluster of the service, by name or ARN.',
  },
  service: {
    kind: 'text',
    required: true,
    pattern: ECS_NAME,
    hint: 'an ECS service name (letters, digits, "-", "_") or ARN',
    description: 'The ECS service that consumes the group; one target per service.',
  },
  allowNoCommits: {
    kind: 'boolean',
    default: false,
    description:
      'The group may have no committed offset yet (a new service): its lag then follows `KAFKA_OFFSET_RESET_POLICY`. Off, such a group is held (`group-has-no-offsets`): a misspelt or expired group is not read as caught up.',
  },
  pinnedTasks: {
    kind: 'integer',
    min: 0,
    max: 10_000,
    hint: "a whole number from 0 to the target's maxTasks",
    description: "Held at this count, whatever the lag (0 to the target's maxTasks; the control parameter pins without a deploy).",
  },
} as const satisfies Fields;

/**
 * Why a pin is refused, or undefined: a whole number from 0 (consumers stopped on purpose) to
 * maxTasks. Below minTasks is allowed: a pin is an operator's order. A number is shown bare: quoted,
 * 9 would read like the text "9", and a pin typed as "6" like an in-range 6.
 */
export function pinProblem(pin: unknown, maxTasks: number): string | undefined {
  if (typeof pin === 'number' && Number.isInteger(pin) && pin >= 0 && pin <= maxTasks) return undefined;
  return `must be a whole number from 0 to maxTasks (${maxTasks}), got ${typeof pin === 'number' ? pin : quote(pin)}`;
}

/** The target's fields with its pin bounded by its own maxTasks. */
function withPinUpTo(maxTasks: number): Omit<typeof TARGET_FIELDS, 'pinnedTasks'> & { pinnedTasks: Extract<Field, { kind: 'integer' }> } {
  return {
    ...TARGET_FIELDS,
    pinnedTasks: { ...TARGET_FIELDS.pinnedTasks, max: maxTasks, hint: `a whole number from 0 to maxTasks (${maxTasks})` },
  };
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
    const own = pickPolicyOverrides(record, label);
    problems.push(...own.problems);
    const policy = resolvePolicy(globalPolicy, own.overrides);
    if (own.problems.length === 0) problems.push(...policyProblems(policy, label));
    // Across fields: a pin within this target's own maxTasks (0: consumers stopped on purpose; below minTasks is an operator's order).
    const fields = readFields(record, withPinUpTo(policy.maxTasks), label, problems, {
      what: 'a target field or a policy setting',
      alsoKnown: POLICY_FIELD_NAMES,
    });
    const { name, group, topics, cluster, service, allowNoCommits = false, pinnedTasks } = fields;

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
