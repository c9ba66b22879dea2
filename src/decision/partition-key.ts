/** One partition of one topic, as a map key: readings of many partitions are indexed, not scanned. */
export function partitionKey(p: { topic: string; partition: number }): string {
  return `${p.topic}\u0000${p.partition}`;
}
