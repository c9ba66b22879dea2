/**
 * How configuration problems quote what they were given: bounded and printable, whatever arrived
 * (a 1 MB payload or a name full of control characters must not become a 200 MB error or a forged
 * log line), and with a hint at the nearest known name for a misspelling.
 */

/** Characters of any one value a problem quotes. */
export const QUOTE_MAX = 64;

/** The value as JSON, control characters escaped, cut to QUOTE_MAX characters with its full length said. */
export function quote(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  const printable = JSON.stringify(text.length > QUOTE_MAX ? text.slice(0, QUOTE_MAX) : text);
  return text.length > QUOTE_MAX ? `${printable.slice(0, -1)}…" (${text.length} characters)` : printable;
}

/**
 * The value as `quote` escapes it, without the quotes, for a name inside a field path
 * (`pinnedTasks.loans`): cut to QUOTE_MAX characters with an ellipsis, never mid-escape.
 */
export function unquoted(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return JSON.stringify(text.length > QUOTE_MAX ? `${text.slice(0, QUOTE_MAX)}…` : text).slice(1, -1);
}

/** `; did you mean X?` for the known name nearest to `name`, when it is near enough to be a typo. */
export function didYouMean(name: string, known: Iterable<string>): string {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(name.toUpperCase(), candidate.toUpperCase());
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(name.length / 4)) ? `; did you mean ${best.candidate}?` : '';
}

/** Levenshtein distance: insertions, deletions and substitutions. */
export function editDistance(a: string, b: string): number {
  // The table a row at a time: row i holds the distances from a's first i characters to each prefix of b.
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let distance = b.length; // from a's empty prefix to the whole of b
  for (let i = 1; i <= a.length; i++) {
    // The cells left of and diagonally above the one being filled; the first cell of row i is i.
    let left = i;
    let aboveLeft = i - 1;
    const current = [left];
    // Column j + 1 adds b[j]; `above` is the row before's cell in that column.
    for (const [j, above] of previous.slice(1).entries()) {
      left = Math.min(above + 1, left + 1, aboveLeft + (a[i - 1] === b[j] ? 0 : 1));
      aboveLeft = above;
      current.push(left);
    }
    previous = current;
    distance = left;
  }
  return distance;
}

/** Problems once each, at most `max` of them, the rest counted. */
export function distinctProblems(problems: readonly string[], max = 50): string[] {
  const distinct = [...new Set(problems)];
  return distinct.length <= max ? distinct : [...distinct.slice(0, max), `… and ${distinct.length - max} more problems`];
}

/** A decimal number as people write one: no hex, no exponent, no blanks inside. */
export const DECIMAL = /^-?\d+(\.\d+)?$/;
