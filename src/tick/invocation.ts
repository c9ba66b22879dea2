/**
 * What invoked the controller: the schedule (EventBridge Scheduler or an EventBridge rule), or an
 * operator by hand with `{"dryRun": true, "targets": [...], "overrides": {...}}`. A malformed
 * payload is refused with every problem named; nothing runs.
 */
import * as z from 'zod/mini';
import { type PolicyOverrides, pickPolicyOverrides } from '../config/policy-settings.js';
import { didYouMean, distinctProblems, quote } from '../config/problem-text.js';
import { POLICY_FIELD_NAMES } from '../decision/index.js';

export type Invocation =
  | { kind: 'scheduled'; scheduledAt: number | undefined }
  | { kind: 'manual'; dryRun: boolean; targets?: string[]; overrides?: PolicyOverrides };

export type InvocationResult = { ok: true; invocation: Invocation } | { ok: false; problems: string[] };

/** An ISO 8601 timestamp with a date, a time and a zone, as EventBridge writes them; Date.parse alone takes "1" as 2001. */
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const isoTime = z.string().check(
  z.refine((v) => ISO_TIMESTAMP.test(v) && !Number.isNaN(Date.parse(v)), {
    error: 'must be an ISO 8601 timestamp like 2026-12-01T12:00:00Z',
  }),
);

/** Larger payloads are refused before they are looked at: a hand-run payload is a few hundred bytes. */
export const MAX_PAYLOAD_BYTES = 65_536;

/** An EventBridge rule's "Scheduled Event". */
const ruleEvent = z.looseObject({ source: z.literal('aws.events'), 'detail-type': z.literal('Scheduled Event'), time: isoTime });
/** EventBridge Scheduler's input, as the infrastructure configures it: `{"scheduledTime": "<aws.scheduler.scheduled-time>"}`. */
const schedulerEvent = z.strictObject({ scheduledTime: isoTime });

const targetName = z.string({ error: 'must be a target name' }).check(z.minLength(1, { error: 'must be a target name' }));
const manualPayload = z.strictObject({
  dryRun: z.optional(z.boolean({ error: 'must be true or false' })),
  targets: z.optional(
    z
      .array(targetName, { error: 'must be an array of target names' })
      .check(z.minLength(1, { error: 'must name at least one target (leave it out for all)' })),
  ),
  overrides: z.optional(z.record(z.string(), z.unknown(), { error: 'must be an object of policy settings' })),
});

export function parseInvocation(event: unknown): InvocationResult {
  if (event === undefined || event === null) return { ok: true, invocation: { kind: 'manual', dryRun: false } };
  const bytes = payloadBytes(event);
  if (bytes > MAX_PAYLOAD_BYTES) return { ok: false, problems: [`payload: is ${bytes} bytes; at most ${MAX_PAYLOAD_BYTES} are accepted`] };
  const rule = ruleEvent.safeParse(event);
  if (rule.success) return { ok: true, invocation: { kind: 'scheduled', scheduledAt: Date.parse(rule.data.time) } };
  const scheduler = schedulerEvent.safeParse(event);
  if (scheduler.success) return { ok: true, invocation: { kind: 'scheduled', scheduledAt: Date.parse(scheduler.data.scheduledTime) } };

  if (typeof event !== 'object' || Array.isArray(event)) {
    return {
      ok: false,
      problems: ['payload: must be a JSON object like {"dryRun": true, "targets": ["name"], "overrides": {"maxTasks": 10}}'],
    };
  }
  const manual = manualPayload.safeParse(event);
  if (!manual.success) {
    return {
      ok: false,
      problems: distinctProblems(
        manual.error.issues.flatMap((issue) =>
          issue.code === 'unrecognized_keys'
            ? issue.keys.map(
                (key) => `payload.${quote(key).slice(1, -1)}: is not a field (the payload takes dryRun, targets and overrides)`,
              )
            : [`payload.${issue.path.map(String).join('.')}: ${issue.message}`],
        ),
      ),
    };
  }
  const { dryRun = false, targets } = manual.data;
  // The keys as sent: a parser may drop `__proto__` silently, and a dropped key must be named, not ignored.
  const overrides = (event as { overrides?: Record<string, unknown> }).overrides;
  if (overrides === undefined) return { ok: true, invocation: { kind: 'manual', dryRun, ...(targets ? { targets } : {}) } };

  const problems: string[] = [];
  if (!dryRun) problems.push('payload.overrides: are only accepted with "dryRun": true (settings change through the environment)');
  const picked = pickPolicyOverrides(overrides, 'payload.overrides');
  problems.push(...picked.problems);
  for (const key of Object.keys(overrides)) {
    if (!Object.hasOwn(picked.overrides, key) && !picked.problems.some((p) => p.startsWith(`payload.overrides.${key}:`))) {
      problems.push(`payload.overrides.${quote(key).slice(1, -1)}: is not a policy setting${didYouMean(key, POLICY_FIELD_NAMES)}`);
    }
  }
  if (problems.length > 0) return { ok: false, problems: distinctProblems(problems) };
  return { ok: true, invocation: { kind: 'manual', dryRun, ...(targets ? { targets } : {}), overrides: picked.overrides } };
}

/** The payload's size as JSON, or Infinity for something that is not JSON (a cycle). */
function payloadBytes(event: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(event) ?? '');
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}
