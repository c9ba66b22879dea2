/** Prints the README's generated tables (policy settings, reason codes) to paste into README.md. */
import { policyTable, reasonTable } from '../src/report/readme-tables.js';

console.log(`${policyTable()}\n\n${reasonTable()}`);
