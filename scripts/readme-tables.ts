/** Prints the README's generated tables (policy settings, reason codes, failure modes, time budget) to paste into README.md. */
import { failureModesTable, policyTable, reasonTable, tickBudgetTable } from '../tools/docs/readme-tables.js';

console.log([policyTable(), reasonTable(), failureModesTable(), tickBudgetTable()].join('\n\n'));
