/**
 * The newest of a list kept oldest first whose last element is the reading now. Every list the
 * measures take is one: `checkInput` appends the current reading to the history, `measuredReadings`
 * keeps it (it always counts the partitions it counts), and a partition's series ends with the
 * reading the partition was taken from. So an empty list is a programming error, never an input,
 * and it fails loudly rather than being measured as if nothing were there.
 */
export function newest<T>(samples: readonly T[]): T {
  const last = samples.at(-1);
  if (last === undefined) throw new Error('newest: no samples; a measure always gets at least the reading now');
  return last;
}
