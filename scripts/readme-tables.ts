/** Prints the README's generated tables (controller, Kafka and policy settings, reason codes, failure modes, time budget) to paste into README.md. */
import { controllerTable, failureModesTable, kafkaTable, policyTable, reasonTable, tickBudgetTable } from '../tools/docs/readme-tables.js';

console.log([controllerTable(), kafkaTable(), policyTable(), reasonTable(), failureModesTable(), tickBudgetTable()].join('\n\n'));
