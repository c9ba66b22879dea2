/**
 * For a value a contract guarantees (one read per request, an origin for every target): returned
 * as it is, or a loud failure naming the broken contract, never a silent `undefined` further on.
 */
export function present<T>(value: T | undefined, contract: string): T {
  if (value === undefined) throw new Error(`internal error: ${contract}`);
  return value;
}
