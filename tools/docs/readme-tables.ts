/**
 * The README's reference tables, generated from the code that defines them (policy fields, reason
 * codes, failure modes, the tick's time budget), so a test can hold the README to them:
 * `tsx scripts/readme-tables.ts` prints them.
 */
import { CONTROLLER_SETTINGS, parseControllerConfig } from '../../src/config/controller-config.js';
import type { Fields } from '../../src/config/json-fields.js';
import { KAFKA_SETTINGS } from '../../src/config/kafka-settings.js';
import type { Setting } from '../../src/config/setting.js';
import { TARGET_FIELDS } from '../../src/config/targets.js';
import { POLICY_FIELD_NAMES, POLICY_FIELDS, REASONS } from '../../src/decision/index.js';
import { CONTROLLER_REASONS } from '../../src/report/outcome.js';
import { PAYLOAD_FIELDS } from '../../src/tick/invocation.js';
import { describeDefault, describeField, describeFieldDefault, describeType } from './setting-text.js';
import { tickBudget, worstCaseTickMs } from './tick-budget.js';

/** The policy fields an operator sets; the advanced windows are advancedPolicyTable's. */
export function policyTable(): string {
  return policyRows((name) => POLICY_FIELDS[name].advanced !== true);
}

/** The windows few operators change. */
export function advancedPolicyTable(): string {
  return policyRows((name) => POLICY_FIELDS[name].advanced === true);
}

function policyRows(include: (name: (typeof POLICY_FIELD_NAMES)[number]) => boolean): string {
  const rows = POLICY_FIELD_NAMES.filter(include).map((name) => {
    const f = POLICY_FIELDS[name];
    const range = f.kind === 'boolean' ? 'boolean' : `${f.kind === 'integer' ? 'integer' : 'number'} ${f.min}–${f.max}`;
    const shared = f.objectiveShare === undefined ? '' : ` (with an objective: ${f.objectiveShare} × maxTimeLagSeconds)`;
    return `| \`${f.env}\` | \`${name}\` | ${range} | ${String(f.default)}${shared} | ${f.description} |`;
  });
  return ['| variable | policy field | type | default | meaning |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

export function reasonTable(): string {
  const rows = [
    ...Object.entries(REASONS).map(([code, meaning]) => `| \`${code}\` | decision | ${meaning} |`),
    ...Object.entries(CONTROLLER_REASONS).map(([code, meaning]) => `| \`${code}\` | controller | ${meaning} |`),
  ];
  return ['| reason | from | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

export { failureModesTable } from './failure-modes.js';

/** The tick's worst case, phase by phase, with the default settings. */
export function tickBudgetTable(): string {
  const parsed = parseControllerConfig({
    KAFKA_BROKERS: 'b-1:9092',
    KAFKA_AUTH_MODE: 'none',
    SCALER_TARGETS: '[{"name":"t","group":"g","cluster":"c","service":"s"}]',
  });
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const rows = tickBudget(parsed.config).map((line) => `| ${line.phase} | ${seconds(line.worstCaseMs)} | ${line.bound} |`);
  return [
    '| phase | worst case (defaults) | bounded by |',
    '| --- | --- | --- |',
    ...rows,
    `| **whole tick** | **${seconds(worstCaseTickMs(parsed.config))}** | the Lambda's timeout (50 s) must cover it |`,
  ].join('\n');
}

/** A table of declared settings: variable, type, default, meaning. */
function settingsTable(settings: Record<string, Setting>, first: string[] = []): string {
  const rows = Object.values(settings).map((s) => `| \`${s.env}\` | ${describeType(s)} | ${describeDefault(s)} | ${s.description} |`);
  return ['| variable | type | default | meaning |', '| --- | --- | --- | --- |', ...first, ...rows].join('\n');
}

export function controllerTable(): string {
  return settingsTable(CONTROLLER_SETTINGS, ['| `SCALER_TARGETS` | JSON array | — (required) | The targets, above. |']);
}

export function kafkaTable(): string {
  return settingsTable(KAFKA_SETTINGS);
}

/** A JSON document's declared fields: field, type, default, meaning. */
function fieldsTable(fields: Fields): string {
  const rows = Object.entries(fields).map(
    ([name, field]) => `| \`${name}\` | ${describeField(field)} | ${describeFieldDefault(field)} | ${field.description} |`,
  );
  return ['| field | type | default | meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** A target's own fields in SCALER_TARGETS. */
export function targetTable(): string {
  return fieldsTable(TARGET_FIELDS);
}

/** A hand-run payload's fields. */
export function payloadTable(): string {
  return fieldsTable(PAYLOAD_FIELDS).replace('| field | type |', '| payload field | type |');
}
