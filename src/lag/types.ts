/**
 * The shapes the lag reader produces. The decision function consumes only `LagTotals`
 * (plus the `partial` flag), so it never depends on how lag was read.
 */
import type { LagTotals } from '../decision/types.js';

/** One partition of one topic, as seen by one consumer group. */
export interface PartitionLag {
  topic: string;
  partition: number;
  /** Earliest offset still in the log (after retention). */
  logStart: number;
  /** High watermark: the offset the next produced message will get. */
  logEnd: number;
  /** The group's committed offset, or null when the group has never committed on this partition. */
  committed: number | null;
  /** Messages the group still has to consume on this partition, per the lag rules (always >= 0). */
  lag: number;
  /** Set when the committed offset is past the log end (e.g. the topic was recreated): lag is 0. */
  committedAheadOfLogEnd?: boolean;
}

/** Totals over a group's partitions: the decision's input, defined with it (src/decision/types.ts). */
export type { LagTotals };

/** What the group's consumers do on a partition without a committed offset (Kafka's auto.offset.reset). */
export type OffsetResetPolicy = 'latest' | 'earliest';

/** What was asked: a consumer group, and optionally the topics to count (none: every topic it committed on). */
export interface GroupRequest {
  group: string;
  topics?: string[];
}

/**
 * How a group's read went:
 * - `ok`: every partition read;
 * - `no-offsets`: the group has no committed offset anywhere (lag follows the reset policy when topics were named;
 *   with no topics named there is nothing to count);
 * - `unknown-topic`: a named topic (or one the group committed on) does not exist;
 * - `partial`: some partitions' offsets could not be read;
 * - `failed`: nothing usable was read (see `error`).
 */
export const GROUP_LAG_STATUSES = ['ok', 'no-offsets', 'unknown-topic', 'partial', 'failed'] as const;
export type GroupLagStatus = (typeof GROUP_LAG_STATUSES)[number];

/** Why a read failed, typed so callers can tell a down broker from a moved coordinator. */
export type LagReadErrorKind =
  | 'broker-unavailable'
  | 'coordinator-unavailable'
  | 'timeout'
  | 'request-failed'
  | 'unsupported'
  /** Not read before the caller's deadline (the others were not held back). */
  | 'deadline';

export interface LagReadError {
  kind: LagReadErrorKind;
  /** Which step failed: connecting (brokers, credentials), metadata, log offsets or committed offsets. */
  step: 'connect' | 'metadata' | 'log-offsets' | 'committed-offsets';
  message: string;
}

export interface GroupLag extends LagTotals {
  group: string;
  status: GroupLagStatus;
  /**
   * True when the totals cannot be trusted to cover the group: the controller must not scale on it.
   * Set for `failed`, `partial` and `unknown-topic`, and for `no-offsets` when no topics were named.
   */
  incomplete: boolean;
  partitions: PartitionLag[];
  /** Topics named (or committed on) that the cluster does not have. */
  missingTopics: string[];
  error?: LagReadError;
  /** Things worth a log line that do not make the read unusable (e.g. offsets ahead of the log end). */
  warnings: string[];
  /** From DescribeGroups, when asked for and the broker supports it. */
  description?: { state: string; members: number };
  /** Epoch ms when the read finished. */
  readAt: number;
}
