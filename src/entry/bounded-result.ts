/**
 * A result that fits Lambda's response limit (6 MB for a synchronous invoke). Past the limit Lambda
 * answers with an error and the invoker loses every decision, so a result too large gives up its
 * detail in steps, most voluminous first, and says so: the partitions listed per target, then the
 * figures; what was decided and why always stays.
 */
import type { TickResult } from '../report/outcome.js';

/** Under Lambda's 6,291,556-byte response limit, with room for the runtime's envelope. */
export const MAX_RESULT_BYTES = 5_000_000;

const STEPS: ReadonlyArray<{ what: string; cut: (result: TickResult) => TickResult }> = [
  {
    what: 'the partitions listed per target',
    cut: (result) => ({
      ...result,
      decisions: result.decisions.map((d) => (d.lag ? { ...d, lag: { ...d.lag, partitions: [] } } : d)),
    }),
  },
  {
    what: 'the figures per target',
    cut: (result) => ({ ...result, decisions: result.decisions.map(({ figures: _figures, ...d }) => d) }),
  },
  {
    what: 'every target beyond the first thousand',
    cut: (result) => ({ ...result, decisions: result.decisions.slice(0, 1_000), errors: result.errors.slice(0, 1_000) }),
  },
];

export function boundedResult(result: TickResult, maxBytes = MAX_RESULT_BYTES): TickResult {
  let bounded = result;
  const cut: string[] = [];
  for (const step of STEPS) {
    if (bytesOf(bounded) <= maxBytes) break;
    bounded = step.cut(bounded);
    cut.push(step.what);
  }
  if (cut.length === 0) return result;
  return {
    ...bounded,
    cut: `The result was cut to fit Lambda's response limit: left out ${cut.join(', then ')} (the log lines have each target's decision).`,
  };
}

function bytesOf(result: TickResult): number {
  return Buffer.byteLength(JSON.stringify(result));
}
