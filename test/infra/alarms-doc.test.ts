/**
 * The alarm table of docs/deploying.md against the synthesized template: every alarm the stack
 * creates is a row of the table, and every row is an alarm the stack creates, by name.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { deploymentOf, exampleConfig, INFRA_DIR, synthesize } from './support.js';

/** The first column of the table under "## Alarms": `<stack>-<target>Silent` and the like. */
function documentedAlarmNames(): string[] {
  const doc = readFileSync(join(INFRA_DIR, '..', 'docs', 'deploying.md'), 'utf8');
  const section = doc.slice(doc.indexOf('\n## Alarms\n'), doc.indexOf('\n## ', doc.indexOf('\n## Alarms\n') + 1));
  return [...section.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]!);
}

let alarmNames: string[];
let stack: string;
let targets: string[];
beforeAll(() => {
  const deployment = deploymentOf(exampleConfig());
  stack = deployment.stackName;
  targets = deployment.targets.map(({ target }) => target.name);
  alarmNames = Object.values(synthesize(exampleConfig()).findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties.AlarmName);
});

/** A documented name as a pattern over the example's stack and targets. */
function patternOf(documented: string): RegExp {
  const escaped = documented.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.replace('<stack>', stack).replace('<target>', `(${targets.join('|')})`)}$`);
}

describe('the alarms table of docs/deploying.md', () => {
  it('names every alarm, by the alarm name the stack gives it', () => {
    const documented = documentedAlarmNames().map(patternOf);
    expect(documented.length).toBeGreaterThan(5);
    expect(alarmNames.filter((name) => !documented.some((pattern) => pattern.test(name)))).toEqual([]);
  });

  it('names only alarms the stack creates', () => {
    expect(documentedAlarmNames().filter((documented) => !alarmNames.some((name) => patternOf(documented).test(name)))).toEqual([]);
  });

  it('gives every alarm a name of its own', () => {
    expect(new Set(alarmNames).size).toBe(alarmNames.length);
  });
});
