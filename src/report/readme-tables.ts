/**
 * The README's reference tables, generated from the code that defines them (policy fields and
 * reason codes), so a test can hold the README to them: `tsx scripts/readme-tables.ts` prints them.
 */
import { CONTROLLER_REASONS } from '../controller/outcome.js';
import { POLICY_FIELD_NAMES, POLICY_FIELDS, REASONS } from '../decision/index.js';

export function policyTable(): string {
  const rows = POLICY_FIELD_NAMES.map((name) => {
    const f = POLICY_FIELDS[name];
    const range = f.kind === 'boolean' ? 'boolean' : `${f.kind === 'integer' ? 'integer' : 'number'} ${f.min}–${f.max}`;
    return `| \`${f.env}\` | \`${name}\` | ${range} | ${String(f.default)} | ${f.description} |`;
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
