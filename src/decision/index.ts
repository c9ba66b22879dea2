export { taskThroughputOf } from './capacity.js';
export { decide } from './decide.js';
export { SAME_PERIOD_SHARE, stepBaseAt, toHistoryEntry, trimHistory } from './history.js';
export {
  DEFAULT_POLICY,
  historyWindowSeconds,
  POLICY_FIELD_NAMES,
  POLICY_FIELDS,
  type Policy,
  type PolicyField,
  type PolicyFieldKind,
  policyEnvName,
  resolvePolicy,
} from './policy.js';
export { limitRate } from './rate-limit.js';
export { backloggedIntervals, RECENT_RATE_MIN_SECONDS } from './rates.js';
export { REASONS, type Reason } from './reasons.js';
export type {
  Decision,
  DecisionFigures,
  DecisionInput,
  FirstLook,
  HealthStatus,
  HistoryDecision,
  HistoryEntry,
  LagReading,
  PipelineRecommendations,
  ServiceCounts,
  ThroughputSource,
} from './types.js';
export { validatePolicy } from './validate-policy.js';
