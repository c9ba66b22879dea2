/**
 * Which targets a run covers: all, or those a hand-run payload names, each with a dry run's policy
 * overrides applied. A name that is not a target is a problem, said once per name.
 */
import type { ControllerConfig } from '../config/controller-config.js';
import { policyProblems } from '../config/policy-settings.js';
import { didYouMean, distinctProblems, quote } from '../config/problem-text.js';
import type { Target } from '../config/targets.js';
import { resolvePolicy } from '../decision/index.js';
import type { Invocation } from './invocation.js';

/** The targets a run covers: all, or those named, each with the dry run's overrides applied. */
export function selectTargets(
  config: ControllerConfig,
  invocation: Invocation,
): { ok: true; targets: Target[] } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  let targets = config.targets;
  if (invocation.kind === 'manual' && invocation.targets) {
    const byName = new Map(config.targets.map((t) => [t.name, t]));
    const unknown = [...new Set(invocation.targets.filter((name) => !byName.has(name)))];
    for (const name of unknown.slice(0, 5)) {
      const i = invocation.targets.indexOf(name);
      problems.push(
        `payload.targets[${i}]: no target named ${quote(name)}${didYouMean(name, byName.keys())} (configured: ${[...byName.keys()].slice(0, 20).join(', ')}${byName.size > 20 ? ', …' : ''})`,
      );
    }
    if (unknown.length > 5) problems.push(`payload.targets: ${unknown.length - 5} more names that are not targets`);
    targets = [...new Set(invocation.targets)].flatMap((name) => byName.get(name) ?? []);
  }
  if (invocation.kind === 'manual' && invocation.overrides) {
    const overrides = invocation.overrides;
    targets = targets.map((target) => {
      const policy = resolvePolicy(config.globalPolicy, target.overrides, overrides);
      problems.push(...policyProblems(policy, `payload.overrides (target ${target.name})`));
      return { ...target, policy };
    });
  }
  return problems.length > 0 ? { ok: false, problems: distinctProblems(problems) } : { ok: true, targets };
}
