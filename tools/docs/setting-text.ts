/** How a setting's type and default read in the docs' tables. */
import type { Field } from '../../src/config/json-fields.js';
import type { Setting } from '../../src/config/setting.js';

/** The type column of a configuration table. */
export function describeType(setting: Setting): string {
  switch (setting.kind) {
    case 'boolean':
      return 'boolean';
    case 'integer':
      return `integer ${setting.min}–${setting.max}`;
    case 'oneOf':
      return setting.values.map((v) => `\`${v}\``).join(', ');
    case 'list':
      return 'comma-separated list';
    case 'text':
      return 'string';
  }
}

/** The default column of a configuration table. */
export function describeDefault(setting: Setting): string {
  if ('shownDefault' in setting && setting.shownDefault) return setting.shownDefault;
  if (!('default' in setting) || setting.default === undefined) return '—';
  return `\`${String(setting.default)}\``;
}

/** A JSON field's type, as the docs' tables say it. */
export function describeField(field: Field): string {
  switch (field.kind) {
    case 'boolean':
      return 'boolean';
    case 'integer':
      return `integer ${field.min}–${field.hint ? field.hint.replace(/^.* to /, '') : field.max}`;
    case 'text':
      return `string: ${field.hint}`;
    case 'list':
      return `array: ${field.hint}`;
    case 'object':
      return `object: ${field.hint}`;
  }
}

/** A JSON field's default: its value, required, or none. */
export function describeFieldDefault(field: Field & { required?: true }): string {
  if (field.required) return 'required';
  return field.kind === 'boolean' ? `\`${field.default}\`` : '—';
}
