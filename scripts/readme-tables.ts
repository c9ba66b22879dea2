/**
 * The docs' generated tables: prints them, or with --write puts each in place of the table with the
 * same header line in docs/ (the docs tests fail until they match the code). The figure tables come
 * from simulator runs (a few seconds); the README's comparison rows for ours and the reactive limit
 * are replaced too, and with --with-baselines every baseline's row (a minute and more: a tuning grid
 * per trace).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cadenceCostTable, cadenceTable, comparisonRows, perTraceTable, runOutOfSample } from '../tools/docs/figure-tables.js';
import {
  advancedPolicyTable,
  controllerTable,
  failureModesTable,
  kafkaTable,
  payloadTable,
  policyTable,
  reasonTable,
  targetTable,
  tickBudgetTable,
} from '../tools/docs/readme-tables.js';

const root = join(import.meta.dirname, '..');
const POLICY_HEADING = '## Policy (global defaults; per target in `SCALER_TARGETS`)';
const ADVANCED_POLICY_HEADING = '### Advanced: the windows';
const docs = join(root, 'docs');
const controller = controllerTable();
const kafka = kafkaTable();
const policy = policyTable();
const advancedPolicy = advancedPolicyTable();
const outOfSample = runOutOfSample();
/** Tables with a header of their own; the controller and Kafka tables share one, as do the two policy tables: each is placed by the heading above it. */
const unique = [
  targetTable(),
  payloadTable(),
  reasonTable(),
  failureModesTable(),
  tickBudgetTable(),
  perTraceTable(outOfSample),
  cadenceTable(outOfSample),
  cadenceCostTable(outOfSample),
];
const comparison = comparisonRows(outOfSample, process.argv.includes('--with-baselines'));

if (!process.argv.includes('--write')) {
  console.log([controller, kafka, policy, advancedPolicy, ...unique, [...comparison.values()].join('\n')].join('\n\n'));
} else {
  for (const file of readdirSync(docs).filter((f) => f.endsWith('.md'))) {
    const path = join(docs, file);
    const lines = readFileSync(path, 'utf8').split('\n');
    const replace = (start: number, table: string) => {
      let end = start;
      while (lines[end]?.startsWith('|')) end++;
      lines.splice(start, end - start, ...table.split('\n'));
    };
    for (const table of unique) {
      const start = lines.indexOf(table.split('\n')[0] as string);
      if (start >= 0) replace(start, table);
    }
    for (const [heading, table] of [
      ['## Controller', controller],
      ['### Kafka connection settings', kafka],
      [POLICY_HEADING, policy],
      [ADVANCED_POLICY_HEADING, advancedPolicy],
    ] as const) {
      const at = lines.indexOf(heading);
      if (at >= 0) replace(lines.indexOf(table.split('\n')[0] as string, at), table);
    }
    writeFileSync(path, lines.join('\n'));
  }
  // The README's comparison: each generated row replaces the row with the same first cell.
  const readmePath = join(root, 'README.md');
  const readme = readFileSync(readmePath, 'utf8')
    .split('\n')
    .map((line) => {
      const label = line.split('|')[1]?.trim();
      return line.startsWith('|') && label !== undefined && comparison.has(label) ? comparison.get(label)! : line;
    });
  writeFileSync(readmePath, readme.join('\n'));
}
