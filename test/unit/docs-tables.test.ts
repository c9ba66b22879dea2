/**
 * The docs' tables that are written by hand are held to the code they describe: a flag, a status
 * added or removed in the code fails here until the table says the same. (The generated tables are
 * held by readme.test.ts.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GROUP_LAG_STATUSES } from '../../src/lag/types.js';
import { DEMO_FLAGS } from '../../tools/demo/cli-args.js';

const root = join(import.meta.dirname, '..', '..');

/** The first column of the table whose header line is `header`, without backticks. */
function firstColumn(page: string, header: string): string[] {
  const lines = readFileSync(join(root, page), 'utf8').split('\n');
  const start = lines.indexOf(header);
  expect(start, `${page} has the table ${header}`).toBeGreaterThanOrEqual(0);
  const rows: string[] = [];
  for (let i = start + 2; lines[i]?.startsWith('|'); i++) rows.push((lines[i]!.split('|')[1] ?? '').trim().replaceAll('`', ''));
  return rows;
}

describe('hand-written tables that follow the code', () => {
  it('docs/demo.md lists every flag of npm run demo', () => {
    const flags = firstColumn('docs/demo.md', '| flag | default | meaning |').map((cell) => cell.split(' ')[0]);
    expect(flags.sort()).toEqual(
      Object.keys(DEMO_FLAGS)
        .map((flag) => `--${flag}`)
        .sort(),
    );
  });

  it('docs/decision.md lists every status a group read can have', () => {
    expect(firstColumn('docs/decision.md', '| status | meaning | scaled on? |').sort()).toEqual([...GROUP_LAG_STATUSES].sort());
  });
});
