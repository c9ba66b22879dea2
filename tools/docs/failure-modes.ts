/**
 * What the controller does when something it depends on fails: one row per fault of the fault
 * matrix. The end-to-end fault matrix (test/e2e/fault-matrix.test.ts) runs one scenario per row
 * against the real handler, so this table and the tested behaviour cannot drift apart; the README's
 * "Failure modes" table is generated from it.
 *
 * "Pages" assumes the stack's defaults: `silentMinutes` 5, the error alarm at 3 of 5 minutes.
 */
export interface FailureMode {
  fault: string;
  /** What the controller does, per target. */
  controller: string;
  /** What reaches CloudWatch for the targets it affects. */
  published: string;
  /** Which alarm or fallback acts, and after how long. */
  pages: string;
}

const BLIND = '`<target>Blind` and the fallback (while MSK reports a backlog) after 5 min; `<target>Errors` after 3 of 5 min';
const NOBODY_RETRIED = 'Nobody: retried within the tick';

export const FAILURE_MODES = {
  'all-brokers-down': {
    fault: 'Every Kafka broker down (network, security group, auth, ACLs)',
    controller: 'Holds every target: `lag-read-failed`; no UpdateService',
    published: 'No Heartbeat; `Errors` and `LagReadErrors`; no lag or offset figures',
    pages: `${BLIND}, for every target`,
  },
  'one-broker-down': {
    fault: 'One broker down',
    controller: 'Targets with a partition led by it hold (`lag-read-incomplete`); the others are decided and acted on',
    published: 'No Heartbeat for the held targets; `LagReadErrors`',
    pages: `${BLIND}, for the held targets only`,
  },
  'broker-down-between-reads': {
    fault: 'A broker goes down between the two reads of a confirmed scale-up (`SCALER_CONFIRM_SECONDS`)',
    controller:
      'Targets with a partition led by it hold on the second read (`lag-read-incomplete`): no scale-up on the first read alone; the others are read again and acted on',
    published: 'No Heartbeat for the held targets; `LagReadErrors`; no lag figures (those published are of the read decided on)',
    pages: `${BLIND}, for the held targets only, if it lasts`,
  },
  'unrelated-topic-error': {
    fault: 'A topic no target reads is being deleted or denied by ACLs (a topic-level Metadata error)',
    controller: 'Nothing changes: every target is decided and acted on',
    published: 'Heartbeat for every target',
    pages: 'Nobody',
  },
  'leaderless-partition': {
    fault: "A partition of a target's topic has no leader (election, offline replica)",
    controller: 'That target holds (`lag-read-incomplete`, the partition named); the others are decided and acted on',
    published: 'No Heartbeat for it; `LagReadErrors`',
    pages: `${BLIND}, for that target only`,
  },
  'slow-coordinator': {
    fault: 'The coordinator of one group answers slower than `KAFKA_REQUEST_TIMEOUT_MS`',
    controller:
      'That target holds (`lag-read-failed`, timeout) at the request timeout; the others are decided and acted on without waiting for it',
    published: 'No Heartbeat for it; `LagReadErrors` (or `DeadlineErrors`)',
    pages: `${BLIND}, for that target only`,
  },
  'slow-leader': {
    fault: "The leader of one target's partitions answers slower than `KAFKA_REQUEST_TIMEOUT_MS`",
    controller: 'That target holds (`lag-read-incomplete`); the others are decided and acted on without waiting for it',
    published: 'No Heartbeat for it; `LagReadErrors`',
    pages: `${BLIND}, for that target only`,
  },
  'coordinator-moved': {
    fault: "NOT_COORDINATOR, or a group's coordinator moves",
    controller: 'Looks the coordinator up again and retries (`KAFKA_COORDINATOR_RETRIES`); every target is decided and acted on',
    published: 'Heartbeat for every target',
    pages: NOBODY_RETRIED,
  },
  'msk-endpoint-hung': {
    fault: 'The MSK API (GetBootstrapBrokers) accepts and never answers',
    controller:
      'Every target holds (`lag-read-failed`, naming the call) after `SCALER_AWS_TIMEOUT_MS` × 2 attempts; the next tick asks again and recovers once it answers',
    published: 'No Heartbeat; `LagReadErrors`',
    pages: `${BLIND}, for every target, if it lasts`,
  },
  'secrets-manager-hung': {
    fault: 'Secrets Manager (the SCRAM secret) accepts and never answers',
    controller:
      'Every target holds (`lag-read-failed`, naming the call) after `SCALER_AWS_TIMEOUT_MS` × 2 attempts; the next tick asks again',
    published: 'No Heartbeat; `LagReadErrors`',
    pages: `${BLIND}, for every target, if it lasts`,
  },
  'control-parameter-hung': {
    fault: 'The control parameter (SSM GetParameter) accepts and never answers, or SSM cannot be reached',
    controller:
      'Every target holds (`control-unreadable`, naming the call) after `SCALER_AWS_TIMEOUT_MS` × 2 attempts: it never guesses whether an operator paused or pinned; no UpdateService; the next tick asks again and recovers once it answers',
    published: 'No Heartbeat; `Errors` and `ControlErrors`; the lag figures as usual',
    pages: `${BLIND}, for every target, if it lasts`,
  },
  'control-parameter-malformed': {
    fault: 'The control parameter is refused whole (invalid JSON, not an object, an unknown field, a field of the wrong type) or deleted',
    controller:
      'Every target holds (`control-unreadable`, the problem named down to the field); no UpdateService; the first tick after it is fixed (or set to `{}`) decides and acts again',
    published: 'No Heartbeat; `Errors` and `ControlErrors`; the lag figures as usual',
    pages: `${BLIND}, for every target, until it is fixed`,
  },
  'control-pin-refused': {
    fault:
      "The control parameter's pin for one target is refused (beyond its maxTasks, not a whole number), or a pin names a target that is not configured",
    controller:
      'That target alone holds (`pin-refused`, the field named); the others decide, act and keep their heartbeat; a pin for an unknown target holds nothing and is logged as an error and returned under `warnings` (the CLI exits 1)',
    published: 'For the refused target: no Heartbeat, `Errors` and `ControlErrors`; the others as usual',
    pages: `${BLIND}, for that target, until it is fixed`,
  },
  'count-changed-within-period': {
    fault:
      'Something else (an operator, an acting CLI run, the fallback) sets the desired count between two ticks of one period (a surge tick, a confirmation, a redelivered event)',
    controller:
      "The step limit never moves the count against the decision: a count already outside the period's step from its first count is held (`step-limited`, the base named), and the next period steps from it",
    published: 'Heartbeat as usual; `DesiredTasks` the count held',
    pages: 'Nobody: the controller is in control, one step a period',
  },
  'future-event': {
    fault: 'A scheduled event dated ahead of the clock by more than 5 s (a hand-made or replayed payload)',
    controller:
      'Refused at once as `future-event`, before any wait: nothing is read or changed, and the handled time never moves past now, so the next real event runs',
    published: 'Nothing (no Heartbeat from this invocation); a `tick skipped` warning names the event',
    pages: 'Nobody; the next scheduled event runs as usual',
  },
  'ecs-throttling': {
    fault: 'ECS throttles DescribeServices',
    controller: 'The SDK retries (3 attempts, backing off); every target is decided and acted on',
    published: 'Heartbeat for every target',
    pages: NOBODY_RETRIED,
  },
  'ecs-5xx': {
    fault: 'ECS answers 5xx to DescribeServices on every attempt',
    controller: 'Holds (`service-read-failed`); no UpdateService',
    published: 'No Heartbeat; `ServiceErrors`; no task counts',
    pages: BLIND,
  },
  'ecs-access-denied': {
    fault: 'ECS denies UpdateService (IAM)',
    controller: '`update-failed`: the service keeps its count (the refusal is certain, so no re-read)',
    published: 'No Heartbeat; `UpdateErrors`; DesiredTasks = the count ECS kept',
    pages: `${BLIND} (Application Auto Scaling scales with its own role)`,
  },
  'service-missing': {
    fault: 'The ECS service does not exist',
    controller: '`service-missing`: nothing is called on it; the other targets are decided and acted on',
    published: 'No Heartbeat for it; `ServiceErrors`',
    pages: BLIND,
  },
  'service-draining': {
    fault: 'The ECS service is DRAINING (being deleted)',
    controller: '`service-not-active`: nothing is changed',
    published: 'No Heartbeat for it; `ServiceErrors`',
    pages: BLIND,
  },
  rollout: {
    fault: 'A deployment is rolling out and the decision is a scale-in',
    controller: '`deployment-in-progress`: the scale-in waits for the rollout (a scale-out goes ahead)',
    published: 'Heartbeat (the controller saw, decided and chose to wait)',
    pages: 'Nobody',
  },
  'update-late': {
    fault: 'UpdateService is applied but answers after `SCALER_AWS_TIMEOUT_MS`',
    controller:
      'The SDK re-sends it (harmless: the count is absolute), then the controller re-reads the service: ECS has the new count, so it reports the change; had the re-read failed, `update-unknown` with no desired count',
    published: 'Heartbeat when confirmed; `UpdateErrors` and no DesiredTasks when unknown',
    pages: 'Nobody when confirmed; else `<target>Errors` after 3 of 5 min',
  },
  'cloudwatch-down-restore': {
    fault: 'CloudWatch fails while history is restored after a cold start',
    controller: 'Decides without history, as at a cold start (a warning in the log); every target is decided and acted on',
    published: 'As usual',
    pages: 'Nobody',
  },
  'cloudwatch-down-publish': {
    fault: 'CloudWatch fails or hangs while metrics are published',
    controller: 'Acts as usual; the publish is bounded and its failure logged',
    published: 'Nothing reaches CloudWatch',
    pages: 'If it lasts: `<target>Silent` and the fallback after 5 min (the fallback only adds tasks, within the same bounds)',
  },
} as const satisfies Record<string, FailureMode>;

export type FailureModeId = keyof typeof FAILURE_MODES;

/** The README's "Failure modes" table. */
export function failureModesTable(): string {
  const rows = Object.values(FAILURE_MODES).map((m: FailureMode) => `| ${m.fault} | ${m.controller} | ${m.published} | ${m.pages} |`);
  return ['| fault | what the controller does | what is published | what pages whom, when |', '| --- | --- | --- | --- |', ...rows].join(
    '\n',
  );
}
