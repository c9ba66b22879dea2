export { decide } from './decide.js';
export { stepBaseAt, toHistoryEntry, trimHistory } from './history.js';
export {
  type Policy,
  type PolicyField,
  type PolicyFieldKind,
  DEFAULT_POLICY,
  POLICY_FIELDS,
  POLICY_FIELD_NAMES,
  historyWindowSeconds,
  policyEnvName,
  validatePolicy,
} from './policy.js';
export { type Reason, REASONS } from './reasons.js';
export type {
  Decision,
  DecisionFigures,
  DecisionInput,
  HealthStatus,
  HistoryDecision,
  HistoryEntry,
  LagReading,
  PipelineRecommendations,
  ServiceCounts,
  ThroughputSource,
} from './types.js';
