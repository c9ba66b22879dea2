/**
 * The docs' generated tables: prints them, or with --write puts each in place of the table with the
 * same header line in docs/ (the docs test fails until they match the code).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { controllerTable, failureModesTable, kafkaTable, policyTable, reasonTable, tickBudgetTable } from '../tools/docs/readme-tables.js';

const docs = join(import.meta.dirname, '..', 'docs');
const controller = controllerTable();
const kafka = kafkaTable();
/** Tables with a header of their own; the controller and Kafka tables share one and are placed by the heading above them. */
const unique = [policyTable(), reasonTable(), failureModesTable(), tickBudgetTable()];

if (!process.argv.includes('--write')) {
  console.log([controller, kafka, ...unique].join('\n\n'));
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
    ] as const) {
      const at = lines.indexOf(heading);
      if (at >= 0) replace(lines.indexOf(table.split('\n')[0] as string, at), table);
    }
    writeFileSync(path, lines.join('\n'));
  }
}
