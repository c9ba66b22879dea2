/**
 * Why a decision came out as it did: a stable, machine-readable code. Dashboards, alarms and
 * tests match on these strings, so they never change meaning; new situations get new codes.
 */
export const REASONS = {
  'invalid-policy': 'The policy failed validation; the count is left unchanged.',
  'invalid-input': 'The lag or service counts are missing, negative or not finite; the count is left unchanged.',
  'partial-read': 'The lag reader flagged this read incomplete; the count is left unchanged.',
  'invalid-history': 'History entries are malformed, out of order or from the future; the count is left unchanged.',
  'health-stall':
    'Consumers run but committed offsets have not moved for the health window while lag is above zero (Burrow STALL), judged on the sums (history without partitions); more tasks would not help, so the count is held.',
  'health-stop': 'Tasks should run but no consumer committed for the health window (Burrow STOP); the count is held.',
  'health-rewind':
    'Committed offsets went backwards within the health window (Burrow REWIND), judged on the sums (history without partitions); the count is held.',
  'partition-rewind':
    "A partition's committed offset went back within the health window and has not come back to where it was (a reset, lost commits); the count is held and the partition named. One that came back is history.",
  'group-stalled':
    'Consumers are running, partitions have lag, and no partition has moved for at least 30 s (a poison message everywhere, a crash loop, a hung dependency): more tasks would not help, so the count is held until a partition moves.',
  'cold-start':
    'The produce rate (no earlier reading yet) or the per-task throughput (neither configured nor learned yet) is not known: the count is kept, or raised to lag ÷ lagPerTask when that is more; the explanation says which.',
  'scale-up': 'Produce rate plus the backlog to work off need more capacity than the current tasks give.',
  'scale-down': 'The current tasks give more capacity than the produce rate and backlog need.',
  'within-tolerance': 'The current count gives the needed capacity, within the tolerance or the nearest capacity step; no change.',
  'objective-unreachable':
    'Even every task the bounds allow cannot keep the oldest message under maxTimeLagSeconds; the count goes as high as it may, and the figures say when the objective is met again.',
  'scaling-ineffective':
    'Added tasks stopped adding throughput while the group was backlogged (a downstream bottleneck caps consumption); the count comes back to the fewest tasks that reach the ceiling at what a task can do (whatever count it appeared at), and is re-probed now and then.',
  'hot-partition':
    'Most of the backlog sits in one partition that a single consumer must drain; the count covers the rest instead of adding tasks that cannot help.',
  stabilizing: 'A scale-down is held back to the highest recommendation within the stabilization window.',
  'lag-growing': 'A scale-down is refused because the lag is still growing.',
  'step-limited': 'The change is cut to the largest step allowed in one decision.',
  'partition-cap': 'The count is capped at the partition count: further consumers would get no partition.',
  'at-max-tasks': 'The count is capped at maxTasks.',
  'at-min-tasks': 'The count is raised to minTasks.',
  'scale-to-zero': 'Nothing is produced and the lag is within the activation threshold; scaled to zero tasks.',
  'idle-at-zero': 'At zero tasks and the lag is within the activation threshold; staying at zero.',
  activation: 'At zero tasks and the lag exceeds the activation threshold; starting tasks again.',
} as const satisfies Record<string, string>;

export type Reason = keyof typeof REASONS;
