/**
 * The log line of one target's decision (message `decision`): one flat object, the schema the
 * dashboard's Logs Insights query and operators' own queries rely on.
 */
import type { TargetDecision, TargetError } from './outcome.js';

export function decisionLogLine(decision: TargetDecision, errors: readonly TargetError[]): Record<string, unknown> {
  return {
    target: decision.target,
    group: decision.group,
    // Not `service`: Powertools reserves it for the logger's own service name.
    ecsCluster: decision.cluster,
    ecsService: decision.service,
    reason: decision.reason,
    explanation: decision.explanation,
    current: decision.current,
    running: decision.running,
    desired: decision.desired,
    changed: decision.changed,
    inControl: decision.inControl,
    dryRun: decision.dryRun,
    health: decision.health,
    lagTotal: decision.lag?.total,
    lagMax: decision.lag?.max,
    lagStatus: decision.lag?.status,
    lagWarnings: decision.lag?.warnings.length ? decision.lag.warnings : undefined,
    groupState: decision.lag?.group?.state,
    groupMembers: decision.lag?.group?.members,
    timeLagSeconds: decision.figures?.timeLagSeconds,
    produceRate: decision.figures?.produceRate,
    consumeRate: decision.figures?.consumeRate,
    expectedTimeLagSeconds: decision.figures?.expectedTimeLagSeconds,
    drainSeconds: decision.figures?.drainSeconds,
    consumeCeiling: decision.figures?.consumeCeiling ?? undefined,
    stuckPartitions: decision.figures?.stuckPartitions.length
      ? decision.figures.stuckPartitions.map((p) => `${p.topic}-${p.partition}`)
      : undefined,
    failed: errors.length > 0,
  };
}
