/**
 * What invoked the controller: the schedule (EventBridge Scheduler or an EventBridge rule), or an
 * operator by hand with `{"targets": [...], "overrides": {...}, "sampleSeconds": 5}`. A hand-run
 * payload is a dry run unless it says `"dryRun": false`: an empty or mistyped invoke must never
 * scale production. A malformed payload is refused with every problem named; nothing runs.
 */

import { type Fields, readFields } from '../config/json-fields.js';
import { type PolicyOverrides, pickPolicyOverrides } from '../config/policy-settings.js';
import { didYouMean, distinctProblems, unquoted } from '../config/problem-text.js';
import { POLICY_FIELD_NAMES } from '../decision/index.js';

export type Invocation =
  | { kind: 'scheduled'; scheduledAt: number | undefined }
  | { kind: 'manual'; dryRun: boolean; targets?: string[]; overrides?: PolicyOverrides; sampleSeconds?: number };

/**
 * A dry run without history measures the rates itself over this many seconds (two lag reads):
 * long enough for consumers to commit (KafkaJS commits every batch, librdkafka every 5 s), short
 * enough for an operator to wait.
 */
export const DEFAULT_SAMPLE_SECONDS = 5;
export const MAX_SAMPLE_SECONDS = 30;

export type InvocationResult = { ok: true; invocation: Invocation } | { ok: false; problems: string[] };

/** An ISO 8601 timestamp with a date, a time and a zone, as EventBridge writes them; Date.parse alone takes "1" as 2001. */
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** Larger payloads are refused before they are looked at: a hand-run payload is a few hundred bytes. */
export const MAX_PAYLOAD_BYTES = 65_536;

/** A hand-run payload's fields: `{"targets": ["loans"], "overrides": {"maxTasks": 12}, "sampleSeconds": 5}`. */
export const PAYLOAD_FIELDS = {
  dryRun: {
    kind: 'boolean',
    default: true,
    description:
      'Decide and change nothing (the default). `false` acts as a scheduled tick would, and is logged first as a `manual action`.',
  },
  targets: {
    kind: 'list',
    pattern: /^[^\p{Cc}]{1,64}$/u,
    hint: 'a non-empty array of target names (leave it out for every target)',
    item: 'a target name',
    description: 'The targets to decide for. Unset: every target.',
  },
  overrides: {
    kind: 'object',
    hint: 'an object of policy settings',
    description:
      'Policy fields to try, by field name (a dry run only): each decision shows the one with the configured settings beside it.',
  },
  sampleSeconds: {
    kind: 'integer',
    min: 0,
    max: MAX_SAMPLE_SECONDS,
    hint: `a whole number of seconds from 0 (do not sample) to ${MAX_SAMPLE_SECONDS}`,
    description: `A dry run without history measures the rates over this many seconds (default ${DEFAULT_SAMPLE_SECONDS}; 0: it does not).`,
  },
} as const satisfies Fields;

export function parseInvocation(event: unknown): InvocationResult {
  if (event === undefined || event === null) return { ok: true, invocation: { kind: 'manual', dryRun: true } };
  const bytes = payloadBytes(event);
  if (bytes > MAX_PAYLOAD_BYTES) return { ok: false, problems: [`payload: is ${bytes} bytes; at most ${MAX_PAYLOAD_BYTES} are accepted`] };
  if (typeof event !== 'object' || Array.isArray(event)) {
    return {
      ok: false,
      problems: [
        'payload: must be a JSON object like {"targets": ["name"], "overrides": {"maxTasks": 10}} (a dry run unless "dryRun": false)',
      ],
    };
  }
  const fields = event as Record<string, unknown>;
  const scheduled = scheduledTimeOf(fields);
  if (scheduled !== undefined) return { ok: true, invocation: { kind: 'scheduled', scheduledAt: scheduled } };

  const problems: string[] = [];
  const {
    dryRun = true,
    targets,
    overrides,
    sampleSeconds,
  } = readFields(fields, PAYLOAD_FIELDS, 'payload', problems, {
    what: 'a field (the payload takes dryRun, targets, overrides and sampleSeconds)',
  });
  if (problems.length > 0) return { ok: false, problems: distinctProblems(problems) };
  const selection = {
    ...(targets !== undefined ? { targets } : {}),
    ...(sampleSeconds !== undefined ? { sampleSeconds } : {}),
  };
  return manualInvocation(dryRun, selection, overrides);
}

/** The scheduled time of a scheduler's `{"scheduledTime"}` or an EventBridge rule's "Scheduled Event", if the payload is one. */
function scheduledTimeOf(fields: Record<string, unknown>): number | undefined {
  const isRule = fields.source === 'aws.events' && fields['detail-type'] === 'Scheduled Event';
  const time = isRule ? fields.time : Object.keys(fields).length === 1 ? fields.scheduledTime : undefined;
  if (typeof time !== 'string' || !ISO_TIMESTAMP.test(time)) return undefined;
  const at = Date.parse(time);
  return Number.isNaN(at) ? undefined : at;
}

function manualInvocation(
  dryRun: boolean,
  selection: { targets?: string[]; sampleSeconds?: number },
  overrides: Record<string, unknown> | undefined,
): InvocationResult {
  const problems: string[] = [];
  if (!dryRun && selection.sampleSeconds !== undefined)
    problems.push('payload.sampleSeconds: is only used by a dry run, not with "dryRun": false');
  if (overrides === undefined) {
    return problems.length > 0 ? { ok: false, problems } : { ok: true, invocation: { kind: 'manual', dryRun, ...selection } };
  }
  if (!dryRun)
    problems.push('payload.overrides: are only accepted in a dry run, not with "dryRun": false (settings change through the environment)');
  const picked = pickPolicyOverrides(overrides, 'payload.overrides');
  problems.push(...picked.problems);
  for (const key of Object.keys(overrides)) {
    if (!Object.hasOwn(picked.overrides, key) && !picked.problems.some((p) => p.startsWith(`payload.overrides.${key}:`))) {
      problems.push(`payload.overrides.${unquoted(key)}: is not a policy setting${didYouMean(key, POLICY_FIELD_NAMES)}`);
    }
  }
  if (problems.length > 0) return { ok: false, problems: distinctProblems(problems) };
  return { ok: true, invocation: { kind: 'manual', dryRun, ...selection, overrides: picked.overrides } };
}

/** The payload's size as JSON, or Infinity for something that is not JSON (a cycle). */
function payloadBytes(event: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(event) ?? '');
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}
