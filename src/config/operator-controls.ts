/**
 * What an operator holds by hand during an incident: every target paused at its count, or one
 * target pinned at a count. They come from the configuration (SCALER_PAUSED, a target's
 * `pinnedTasks`: a deploy) and from the control parameter, an SSM parameter read every tick so
 * that they change in seconds without a deploy:
 *
 *   {"paused": true, "pinnedTasks": {"loans": 12}, "note": "INC-42: downstream maintenance"}
 *
 * The parameter adds to the configuration: either pauses; its pin for a target wins. A parameter
 * that cannot be parsed (not JSON, not that shape) is never guessed at: the tick holds every
 * target and says why. A refused pin (beyond maxTasks, not a whole number) holds its own target
 * alone, named; a pin for a target that is not configured holds nothing and is said as a problem.
 */
import type { ControllerConfig } from './controller-config.js';
import { didYouMean, quote, unquoted } from './problem-text.js';
import { pinProblem } from './targets.js';

export interface OperatorHold {
  /** The count to hold; undefined: the service's current count (a pause). */
  pinnedTasks?: number;
  /** Who holds it, for the explanation: the setting, or the parameter and its note. */
  by: string;
}

export interface OperatorControls {
  /** Set while every target is paused. */
  paused?: OperatorHold;
  /** Target name → its pin. */
  pins: ReadonlyMap<string, Required<OperatorHold>>;
  /** Target name → why the parameter's pin for it was refused: that target is held, the others are not. */
  refused: ReadonlyMap<string, string>;
  /** Entries that name no configured target (a misspelt name): they hold nothing, and are said. */
  strays: readonly string[];
}

/** A note is for people reading a hold; longer ones are cut, so one parameter cannot swell every result and log line. */
export const MAX_NOTE_CHARACTERS = 200;

export type ControlsResult = { ok: true; controls: OperatorControls } | { ok: false; problem: string };

const PARAMETER_KEYS = new Set(['paused', 'pinnedTasks', 'note']);

/** The controls in force: the configuration's, and the parameter's value when one is read (`undefined`: none configured). */
export function operatorControls(
  config: Pick<ControllerConfig, 'paused' | 'targets' | 'controlParameter'>,
  parameterValue?: string,
): ControlsResult {
  const pins = new Map<string, Required<OperatorHold>>();
  for (const target of config.targets) {
    if (target.pinnedTasks !== undefined)
      pins.set(target.name, { pinnedTasks: target.pinnedTasks, by: `pinnedTasks of ${target.name} in SCALER_TARGETS` });
  }
  const paused: OperatorHold | undefined = config.paused ? { by: 'SCALER_PAUSED' } : undefined;
  const refused = new Map<string, string>();
  const strays: string[] = [];
  if (parameterValue === undefined) return { ok: true, controls: { ...(paused ? { paused } : {}), pins, refused, strays } };

  const where = `control parameter ${config.controlParameter ?? ''}`.trim();
  const problem = (text: string): ControlsResult => ({ ok: false, problem: `${where}: ${text}` });
  let value: unknown;
  try {
    value = JSON.parse(parameterValue);
  } catch (error) {
    return problem(`is not valid JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return problem('must be a JSON object like {"paused": true} or {"pinnedTasks": {"<target>": 4}}');
  const fields = value as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((key) => !PARAMETER_KEYS.has(key));
  if (unknown.length > 0) return problem(`${unknown.map(quote).join(', ')}: not a field (it takes paused, pinnedTasks and note)`);
  const note = fields.note;
  if (note !== undefined && typeof note !== 'string') return problem('note: must be a string');
  const by = typeof note === 'string' && note !== '' ? `${where} (${shortened(note)})` : where;

  if (fields.paused !== undefined && typeof fields.paused !== 'boolean') return problem('paused: must be true or false');
  const pinned = fields.pinnedTasks ?? {};
  if (typeof pinned !== 'object' || pinned === null || Array.isArray(pinned))
    return problem('pinnedTasks: must be an object of target name → task count');
  for (const [name, count] of Object.entries(pinned)) {
    const field = `${where}: pinnedTasks.${unquoted(name)}`;
    const target = config.targets.find((t) => t.name === name);
    if (target === undefined) {
      strays.push(
        `${field}: is not a configured target${didYouMean(
          name,
          config.targets.map((t) => t.name),
        )}; it holds nothing`,
      );
      continue;
    }
    const refusal = pinProblem(count, target.policy.maxTasks);
    if (refusal !== undefined) {
      refused.set(name, `${field}: ${refusal}`);
      pins.delete(name);
      continue;
    }
    pins.set(name, { pinnedTasks: count, by });
  }
  const pausedNow = paused ?? (fields.paused === true ? { by } : undefined);
  return { ok: true, controls: { ...(pausedNow ? { paused: pausedNow } : {}), pins, refused, strays } };
}

function shortened(note: string): string {
  const characters = [...note];
  return characters.length <= MAX_NOTE_CHARACTERS ? note : `${characters.slice(0, MAX_NOTE_CHARACTERS - 1).join('')}…`;
}

/** The hold on one target, if any: a pause holds every target, else its pin. */
export function holdOn(controls: OperatorControls, target: string): OperatorHold | undefined {
  return controls.paused ?? controls.pins.get(target);
}
