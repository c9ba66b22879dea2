/**
 * What an operator is told of a scale action: which decisions of a tick are worth a message, and
 * the message itself (subject and body say the target, the service, from, to, the reason and the
 * explanation), so the page reads on its own without opening the logs.
 */
import type { TargetDecision } from '../../report/outcome.js';

/** A decision that set a new count, with the counts known. */
export interface ScaleAction extends TargetDecision {
  current: number;
  desired: number;
}

export interface ScaleNotice {
  subject: string;
  message: string;
}

/** SNS refuses a Subject over 100 characters. */
const MAX_SUBJECT_LENGTH = 100;

/**
 * The scale actions of a tick changing the count by at least `minChange` tasks, either way. Only
 * what ECS took (`changed`): a hold, a refused or unknown UpdateService and a dry run never count.
 */
export function scaleActionsToNotify(decisions: readonly TargetDecision[], minChange: number): ScaleAction[] {
  return decisions.filter(
    (decision): decision is ScaleAction =>
      decision.changed &&
      !decision.dryRun &&
      decision.current !== null &&
      decision.desired !== null &&
      Math.abs(decision.desired - decision.current) >= minChange,
  );
}

export function scaleNotice(action: ScaleAction): ScaleNotice {
  const direction = action.desired > action.current ? 'out' : 'in';
  const timeLag = action.figures?.timeLagSeconds;
  const lines = [
    `kafka-lag-scaler scaled ${action.target} ${direction} from ${action.current} to ${action.desired} tasks.`,
    '',
    `Target:      ${action.target} (consumer group ${action.group})`,
    `Service:     ${action.cluster}/${action.service}`,
    `From:        ${action.current} tasks`,
    `To:          ${action.desired} tasks`,
    `Reason:      ${action.reason}`,
    `Explanation: ${action.explanation}`,
  ];
  if (action.lag)
    lines.push(`Lag:         ${action.lag.total} messages${timeLag == null ? '' : `, the oldest ${Math.round(timeLag)} s old`}`);
  return {
    subject: asSubject(`kafka-lag-scaler: ${action.target} ${action.current} -> ${action.desired} tasks (${action.reason})`),
    message: lines.join('\n'),
  };
}

/** SNS takes a Subject of printable ASCII without line breaks, at most 100 characters. */
function asSubject(text: string): string {
  const printable = text.replace(/[^\x20-\x7e]/g, '?');
  return printable.length <= MAX_SUBJECT_LENGTH ? printable : `${printable.slice(0, MAX_SUBJECT_LENGTH - 3)}...`;
}
