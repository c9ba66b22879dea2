/**
 * The docs' figures are what the simulator measures now: each figure table is regenerated from the
 * runs (ours at every cadence shown, the references) and must stand in the docs as generated, and
 * the README's comparison must carry the same rows for ours and the reactive limit. A change to the
 * policy, the model or a trace fails here until `tsx scripts/readme-tables.ts --write` has put the
 * new figures in. (The tuned baselines' rows take a grid per trace and are not held here.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  cadenceCostTable,
  cadenceTable,
  comparisonRows,
  OURS_ROW_LABEL,
  type OutOfSample,
  perTraceTable,
  REFERENCE_ROW_LABEL,
  runOutOfSample,
} from '../../../tools/docs/figure-tables.js';

const root = join(import.meta.dirname, '..', '..', '..');
const page = (path: string) => readFileSync(join(root, path), 'utf8');
const regenerate = 'regenerate with `tsx scripts/readme-tables.ts --write`';

let outOfSample: OutOfSample;
beforeAll(() => {
  outOfSample = runOutOfSample();
}, 120_000);

describe('the figures in the docs are the simulator’s', () => {
  it('docs/decision.md: ours trace by trace, and each cadence against issue 12’s targets', () => {
    expect(page('docs/decision.md'), regenerate).toContain(perTraceTable(outOfSample));
    expect(page('docs/decision.md'), regenerate).toContain(cadenceTable(outOfSample));
  });

  it('docs/operating.md: what each cadence buys and costs', () => {
    expect(page('docs/operating.md'), regenerate).toContain(cadenceCostTable(outOfSample));
  });

  it('the README’s comparison: ours and the reactive limit, in sample and out of sample', () => {
    const rows = comparisonRows(outOfSample);
    expect(page('README.md'), regenerate).toContain(rows.get(OURS_ROW_LABEL));
    expect(page('README.md'), regenerate).toContain(rows.get(REFERENCE_ROW_LABEL));
  }, 120_000);

  it('a table shows what it measures: ours at the default cadence, every adversarial trace', () => {
    const table = perTraceTable(outOfSample).split('\n');
    expect(table).toHaveLength(2 + outOfSample.scenarios.length);
    expect(table.slice(2).map((row) => row.split('|')[1]!.trim())).toContain('`db-bottleneck`');
  });
});
