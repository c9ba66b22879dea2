/**
 * Which partitions a read counted, as one short key: two reads over the same topics and
 * partitions have the same key. Rates are differences of offset sums, so they mean something only
 * between reads over the same set: a topic the group starts committing on adds its whole log end
 * to the sum at once, which is no production (the decision compares keys, see measuredReadings).
 */
import type { PartitionLag } from './types.js';

/** The count and a 32-bit FNV-1a hash of the sorted topic/partition pairs, e.g. `12:9c1f03a2`. */
export function partitionSetKey(partitions: readonly Pick<PartitionLag, 'topic' | 'partition'>[]): string {
  const names = partitions.map(({ topic, partition }) => `${topic}\u0000${partition}`).sort();
  let hash = 0x811c9dc5;
  for (const name of names) {
    for (let i = 0; i < name.length; i++) {
      hash ^= name.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193);
    }
    hash ^= 0xff;
    hash = Math.imul(hash, 0x01000193);
  }
  return `${names.length}:${(hash >>> 0).toString(16).padStart(8, '0')}`;
}
