/**
 * A setting declared once, as KEDA's scalers declare their metadata: its variable, type, bounds,
 * default and meaning. The same declaration reads the environment (through EnvReader, which names
 * the variable in every problem) and writes the configuration tables in docs/configuration.md.
 */
import type { EnvReader } from './env-reader.js';

export type Setting =
  | { kind: 'boolean'; env: string; default: boolean; description: string }
  | { kind: 'integer'; env: string; min: number; max: number; default: number; description: string; shownDefault?: string }
  | { kind: 'oneOf'; env: string; values: readonly string[]; default: string; description: string }
  | { kind: 'text'; env: string; pattern?: RegExp; hint?: string; default?: string; description: string }
  | { kind: 'list'; env: string; pattern: RegExp; hint: string; description: string };

/** The value a setting reads as. */
export type SettingValue<S extends Setting> = S extends { kind: 'boolean' }
  ? boolean
  : S extends { kind: 'integer' }
    ? number
    : S extends { kind: 'oneOf'; values: readonly (infer V)[] }
      ? V
      : S extends { kind: 'list' }
        ? string[] | undefined
        : S extends { default: string }
          ? string
          : string | undefined;

export function readSetting<S extends Setting>(read: EnvReader, setting: S): SettingValue<S> {
  const value = (() => {
    switch (setting.kind) {
      case 'boolean':
        return read.boolean(setting.env, setting.default);
      case 'integer':
        return read.integer(setting.env, setting, setting.default);
      case 'oneOf':
        return read.oneOf(setting.env, setting.values, setting.default);
      case 'list':
        return read.list(setting.env, setting.pattern, setting.hint);
      case 'text':
        return (
          (setting.pattern ? read.matching(setting.env, setting.pattern, setting.hint ?? 'is not valid') : read.string(setting.env)) ??
          setting.default
        );
    }
  })();
  return value as SettingValue<S>;
}

/** Every setting of a declaration, read: one typed value per key. */
export function readSettings<D extends Record<string, Setting>>(read: EnvReader, settings: D): { [K in keyof D]: SettingValue<D[K]> } {
  return Object.fromEntries(Object.entries(settings).map(([key, setting]) => [key, readSetting(read, setting)])) as {
    [K in keyof D]: SettingValue<D[K]>;
  };
}
