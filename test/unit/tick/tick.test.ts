import { describe, expect, it, vi } from 'vitest';
import type { ControlsResult, OperatorHold } from '../../../src/config/operator-controls.js';
import type { Target } from '../../../src/config/targets.js';
import { resolvePolicy } from '../../../src/decision/index.js';
import { lagTotals } from '../../../src/lag/lag-rules.js';
import type { GroupLag } from '../../../src/lag/types.js';
import { LoopStore } from '../../../src/tick/loop-store.js';
import { type ObservedService, runTick, type TickDependencies, type TickPlan } from '../../../src/tick/tick.js';

const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);

function target(name: string, overrides = {}): Target {
  const own = { lagPerTask: 100, maxTasks: 10, ...overrides };
  return {
    name,
    group: `${name}-group`,
    topics: [`${name}-events`],
    allowNoCommits: false,
    cluster: 'prod',
    service: `${name}-worker`,
    overrides: own,
    policy: resolvePolicy(own),
  };
}

function groupLag(group: string, lagPerPartition: number[], status: GroupLag['status'] = 'ok'): GroupLag {
  const partitions = lagPerPartition.map((lag, partition) => ({
    topic: 't',
    partition,
    logStart: 0,
    logEnd: 1000,
    committed: 1000 - lag,
    lag,
  }));
  return { group, status, incomplete: status !== 'ok', ...lagTotals(partitions), partitions, missingTopics: [], warnings: [], readAt: NOW };
}

/** A lag spread 100 to a partition: a cold start never puts more consumers than partitions with lag. */
const spread = (lag: number): number[] => Array.from({ length: Math.ceil(lag / 100) }, (_, i) => Math.min(100, lag - 100 * i));

const active = (desired: number, extra: Partial<ObservedService> = {}): ObservedService => ({
  status: 'ACTIVE',
  desired,
  running: desired,
  rollingOut: false,
  ...extra,
});

function fakes(lags: Record<string, GroupLag>, services: Record<string, ObservedService | Error>) {
  const setDesiredCount = vi.fn(async (_cluster: string, service: string, _desired: number) => {
    if (service === 'broken-worker') throw new Error('AccessDeniedException');
  });
  const deps: TickDependencies = {
    readLag: (requests) => requests.map(async (r) => lags[r.group] ?? groupLag(r.group, [], 'failed')),
    describeService: async (_cluster, service) => {
      const s = services[service];
      if (!s || s instanceof Error) throw s ?? new Error('unexpected service');
      return s;
    },
    setDesiredCount,
    loops: new LoopStore(),
    now: () => NOW,
    sleep: async () => undefined,
  };
  return { deps, setDesiredCount };
}

const plan = (targets: Target[], extra: Partial<TickPlan> = {}): TickPlan => ({
  targets,
  dryRun: false,
  keepHistory: true,
  cadence: { tickSeconds: 60, surgeTickSeconds: 0, confirmSeconds: 0 },
  deadline: NOW + 50_000,
  concurrency: 4,
  ...extra,
});

describe('one controller tick', () => {
  it('scales a lagging service up with an absolute desired count', async () => {
    const { deps, setDesiredCount } = fakes(
      { 'loans-group': groupLag('loans-group', [125, 125, 125, 125]) },
      { 'loans-worker': active(1) },
    );

    const { result } = await runTick(plan([target('loans')]), deps);

    expect(result.errors).toEqual([]);
    expect(result.decisions[0]).toMatchObject({
      target: 'loans',
      current: 1,
      running: 1,
      desired: 4,
      changed: true,
      dryRun: false,
      inControl: true,
    });
    expect(setDesiredCount).toHaveBeenCalledExactlyOnceWith('prod', 'loans-worker', 4, expect.any(AbortSignal));
  });

  it('decides but calls nothing on a dry run', async () => {
    const { deps, setDesiredCount } = fakes({ 'loans-group': groupLag('loans-group', spread(500)) }, { 'loans-worker': active(1) });

    const { result } = await runTick(plan([target('loans', { allowIdleConsumers: true })], { dryRun: true }), deps);

    expect(result.decisions[0]).toMatchObject({ desired: 5, changed: false, dryRun: true, inControl: false });
    expect(setDesiredCount).not.toHaveBeenCalled();
  });

  it.each([
    ['failed', 'lag-read-failed'],
    ['partial', 'lag-read-incomplete'],
    ['unknown-topic', 'lag-read-incomplete'],
  ] as const)('holds, and reports an error, when the lag read is %s', async (status, reason) => {
    const { deps, setDesiredCount } = fakes({ 'loans-group': groupLag('loans-group', spread(900), status) }, { 'loans-worker': active(2) });

    const { result } = await runTick(plan([target('loans')]), deps);

    expect(result.decisions[0]).toMatchObject({ reason, changed: false, inControl: false });
    expect(result.errors).toEqual([expect.objectContaining({ target: 'loans', step: 'lag' })]);
    expect(setDesiredCount).not.toHaveBeenCalled();
  });

  it.each([
    [{ status: 'MISSING' } as const, 'service-missing'],
    [{ status: 'DRAINING' } as const, 'service-not-active'],
    [{ status: 'INACTIVE' } as const, 'service-not-active'],
  ])('never touches a service that is %j', async (state, reason) => {
    const { deps, setDesiredCount } = fakes({ 'loans-group': groupLag('loans-group', spread(900)) }, { 'loans-worker': active(2, state) });

    const { result } = await runTick(plan([target('loans')]), deps);

    expect(result.decisions[0]).toMatchObject({ reason, changed: false });
    expect(result.errors[0]).toMatchObject({ step: 'describe-service' });
    expect(setDesiredCount).not.toHaveBeenCalled();
  });

  it('waits for a rolling deployment before scaling in, but scales out during one', async () => {
    const idle = groupLag('a-group', [0, 0]);
    const busy = groupLag('b-group', spread(1800));
    const { deps, setDesiredCount } = fakes(
      { 'a-group': idle, 'b-group': busy },
      { 'a-worker': active(6, { rollingOut: true }), 'b-worker': active(1, { rollingOut: true }) },
    );

    const { result } = await runTick(plan([target('a', { scaleDownStabilizationSeconds: 0 }), target('b')]), deps);

    expect(result.decisions[0]).toMatchObject({
      target: 'a',
      reason: 'deployment-in-progress',
      desired: 6,
      changed: false,
      inControl: true,
    });
    expect(result.decisions[1]).toMatchObject({ target: 'b', changed: true });
    expect(setDesiredCount).toHaveBeenCalledTimes(1);
  });

  it('isolates a failing target from the others', async () => {
    const { deps, setDesiredCount } = fakes(
      {
        'a-group': groupLag('a-group', spread(300)),
        'broken-group': groupLag('broken-group', spread(300)),
        'c-group': groupLag('c-group', spread(300)),
      },
      { 'a-worker': new Error('ThrottlingException: Rate exceeded'), 'broken-worker': active(1), 'c-worker': active(1) },
    );
    const targets = [target('a'), target('broken', { allowIdleConsumers: true }), target('c', { allowIdleConsumers: true })];

    const { result } = await runTick(plan(targets), deps);

    expect(result.decisions.map((d) => [d.target, d.reason, d.changed])).toEqual([
      ['a', 'service-read-failed', false],
      ['broken', 'update-failed', false],
      ['c', expect.any(String), true],
    ]);
    expect(result.errors.map((e) => [e.target, e.step])).toEqual([
      ['a', 'describe-service'],
      ['broken', 'update-service'],
    ]);
    expect(setDesiredCount).toHaveBeenCalledTimes(2);
  });

  it('stops at the deadline instead of running past it', async () => {
    const { deps, setDesiredCount } = fakes({}, { 'loans-worker': active(1) });
    deps.readLag = (requests) => requests.map(() => new Promise(() => undefined)); // Kafka never answers
    deps.now = Date.now;
    const started = Date.now();

    const { result } = await runTick(plan([target('loans')], { deadline: started + 2_300 }), deps);

    expect(Date.now() - started).toBeLessThan(1_500);
    expect(result.decisions[0]).toMatchObject({ reason: 'deadline', changed: false });
    expect(result.errors[0]).toMatchObject({ step: 'deadline' });
    expect(setDesiredCount).not.toHaveBeenCalled();
  });

  it('keeps history on scheduled ticks only', async () => {
    const { deps } = fakes({ 'loans-group': groupLag('loans-group', [10]) }, { 'loans-worker': active(1) });
    const loans = target('loans');

    await runTick(plan([loans], { keepHistory: false }), deps);
    expect(deps.loops.has('loans')).toBe(false);
    await runTick(plan([loans]), deps);
    expect(deps.loops.history('loans', NOW + 60_000, loans.policy)).toHaveLength(1);
  });

  it('acts on each target as soon as its own lag is in: a slow read never holds back the others', async () => {
    const { deps, setDesiredCount } = fakes({}, { 'fast-worker': active(1), 'slow-worker': active(1) });
    let releaseSlow: (lag: GroupLag) => void = () => undefined;
    const slowLag = new Promise<GroupLag>((resolve) => (releaseSlow = resolve));
    deps.readLag = (requests) =>
      requests.map((r) => (r.group === 'slow-group' ? slowLag : Promise.resolve(groupLag(r.group, spread(300)))));
    // The slow group answers only once the fast target has been scaled: a tick that waited for every read first would never get there.
    setDesiredCount.mockImplementation(async (_cluster, service) => {
      if (service === 'fast-worker') releaseSlow(groupLag('slow-group', spread(300)));
    });
    deps.now = Date.now;

    const { result } = await runTick(
      plan([target('fast', { allowIdleConsumers: true }), target('slow', { allowIdleConsumers: true })], { deadline: Date.now() + 30_000 }),
      deps,
    );

    expect(result.decisions.map((d) => [d.target, d.changed])).toEqual([
      ['fast', true],
      ['slow', true],
    ]);
  });

  describe('an UpdateService whose outcome is unknown (it timed out or failed with a 5xx)', () => {
    const lateUpdate = (afterwards: ObservedService | Error) => {
      const { deps, setDesiredCount } = fakes(
        { 'loans-group': groupLag('loans-group', [125, 125, 125, 125]) },
        { 'loans-worker': active(1) },
      );
      setDesiredCount.mockRejectedValue(
        Object.assign(new Error('ECS UpdateService ... failed (unavailable, TimeoutError)'), { outcomeUnknown: true }),
      );
      let reads = 0;
      deps.describeService = async () => {
        reads++;
        if (reads === 1) return active(1);
        if (afterwards instanceof Error) throw afterwards;
        return afterwards;
      };
      return { deps, setDesiredCount, reads: () => reads };
    };

    it('is confirmed by re-reading the service when ECS took the count', async () => {
      const { deps, reads } = lateUpdate(active(4));
      const { result } = await runTick(plan([target('loans')]), deps);
      expect(reads()).toBe(2);
      expect(result.decisions[0]).toMatchObject({
        desired: 4,
        changed: true,
        inControl: true,
        explanation: expect.stringMatching(/DescribeServices shows the new count/),
      });
      expect(result.errors).toEqual([]);
    });

    it('is a failed update when the re-read shows the old count', async () => {
      const { deps } = lateUpdate(active(1));
      const { result } = await runTick(plan([target('loans')]), deps);
      expect(result.decisions[0]).toMatchObject({ reason: 'update-failed', desired: 1, changed: false, inControl: false });
      expect(result.errors).toEqual([expect.objectContaining({ step: 'update-service' })]);
    });

    it('is reported as unknown, with no desired count, when the service cannot be re-read', async () => {
      const { deps } = lateUpdate(new Error('ECS DescribeServices failed (unavailable)'));
      const { result } = await runTick(plan([target('loans')]), deps);
      expect(result.decisions[0]).toMatchObject({ reason: 'update-unknown', desired: null, changed: false, inControl: false });
      expect(result.decisions[0]!.explanation).toMatch(/The decision was 4 .*the re-read failed too/);
      expect(result.errors).toEqual([expect.objectContaining({ step: 'update-service' })]);
    });
  });

  describe('a group with no committed offset anywhere', () => {
    const noCommits = (description?: GroupLag['description']): GroupLag => ({
      ...groupLag('loans-group', [0, 0], 'no-offsets'),
      incomplete: false,
      ...(description ? { description } : {}),
    });

    it.each([
      [undefined, /no committed offset on any of its 2 partitions/],
      [{ state: 'Dead', members: 0 }, /does not exist: misspelt\?/],
      [{ state: 'Empty', members: 0 }, /exists with no members and no committed offsets: expired, or never committed/],
    ])('is held, never read as caught up (description %j)', async (description, explained) => {
      const { deps, setDesiredCount } = fakes({ 'loans-group': noCommits(description) }, { 'loans-worker': active(10) });
      const { result } = await runTick(plan([target('loans')]), deps);
      expect(result.decisions[0]).toMatchObject({ reason: 'group-has-no-offsets', changed: false, inControl: false });
      expect(result.decisions[0]!.explanation).toMatch(explained);
      expect(result.errors).toEqual([expect.objectContaining({ step: 'lag' })]);
      expect(setDesiredCount).not.toHaveBeenCalled();
    });

    it('is read by the reset policy for a target that allows it (a new service)', async () => {
      const { deps } = fakes({ 'loans-group': noCommits() }, { 'loans-worker': active(1) });
      const { result } = await runTick(plan([{ ...target('loans'), allowNoCommits: true }]), deps);
      expect(result.decisions[0]!.reason).not.toBe('group-has-no-offsets');
      expect(result.decisions[0]).toMatchObject({ inControl: true });
    });
  });

  it('never moves the count against its decision when something else changed it within the period (10 → 3 under a backlog)', async () => {
    const services = { 'loans-worker': active(1) };
    const lags = {
      'loans-group': groupLag(
        'loans-group',
        Array.from({ length: 24 }, () => 1_000),
      ),
    };
    const { deps, setDesiredCount } = fakes(lags, services);
    setDesiredCount.mockImplementation(async (_cluster, service, desired) => {
      services[service as 'loans-worker'] = active(desired);
    });
    const loans = target('loans', { maxScaleUpStep: 2, maxTasks: 24 });
    /** The consumers at work: every partition's commits move on. */
    const consumed = () => {
      lags['loans-group'] = groupLag(
        'loans-group',
        Array.from({ length: 24 }, () => 900),
      );
    };
    const tickAt = async (offsetMs: number) => {
      deps.now = () => NOW + offsetMs;
      const { result } = await runTick(plan([loans], { deadline: NOW + offsetMs + 50_000 }), deps);
      return result.decisions[0]!;
    };

    expect(await tickAt(0)).toMatchObject({ current: 1, desired: 3, changed: true });
    services['loans-worker'] = active(10); // an operator during an incident, an acting CLI run, the fallback
    const next = await tickAt(20_000);
    expect(next).toMatchObject({ current: 10, desired: 10, changed: false, reason: 'step-limited' });
    expect(next.explanation).toMatch(
      /^Kept 10 tasks instead of \d+: a period adds at most 2 .* counted from 1, the count at the period's start, and this period's step is taken\./,
    );
    expect(setDesiredCount).toHaveBeenCalledTimes(1);
    // The next period steps from 10.
    consumed();
    expect(await tickAt(60_000)).toMatchObject({ current: 10, desired: 12, changed: true });
  });

  it('never moves the count up against a decision to stay (the mirror: 1 → 9 with no lag)', async () => {
    const services = { 'loans-worker': active(10) };
    const lags = { 'loans-group': groupLag('loans-group', [0, 0, 0, 0]) };
    const { deps, setDesiredCount } = fakes(lags, services);
    setDesiredCount.mockImplementation(async (_cluster, service, desired) => {
      services[service as 'loans-worker'] = active(desired);
    });
    const loans = target('loans', { maxScaleUpStep: 2, maxScaleDownStep: 1, minTasks: 1, maxTasks: 24, scaleDownStabilizationSeconds: 0 });
    deps.loops.seed('loans', [
      {
        now: NOW - 1_000,
        lag: { ...lagTotals([]), partitionCount: 4, logEndSum: 4_000, committedSum: 4_000 },
        service: { desired: 10, running: 10 },
        decision: { desired: 10, recommendation: 1 },
      },
    ]);
    services['loans-worker'] = active(1); // set by hand within the period that began at 10

    const { result } = await runTick(plan([loans]), deps);

    expect(result.decisions[0]).toMatchObject({ current: 1, desired: 1, changed: false });
    expect(setDesiredCount).not.toHaveBeenCalled();
  });

  it('discards a history decide rejects and decides as after a cold start, never freezing the target', async () => {
    const { deps } = fakes({ 'loans-group': groupLag('loans-group', [125, 125, 125, 125]) }, { 'loans-worker': active(1) });
    const loans = target('loans');
    // Two entries at the same instant: a history decide refuses.
    const entry = {
      now: NOW - 30_000,
      lag: { totalLag: 1, maxPartitionLag: 1, partitionCount: 4, partitionsWithLag: 1, logEndSum: 1, committedSum: 0 },
      service: { desired: 1, running: 1 },
    };
    deps.loops.seed('loans', [entry, { ...entry }]);
    const { result } = await runTick(plan([loans]), deps);
    expect(result.decisions[0]).toMatchObject({
      desired: 4,
      changed: true,
      explanation: expect.stringMatching(/history was inconsistent and was discarded/),
    });
  });
});

/** The controls as the wiring hands them over: a promise, read while the tick observes. */
const controls = (paused?: OperatorHold, pins: Record<string, number> = {}): Promise<ControlsResult> =>
  Promise.resolve({
    ok: true,
    controls: {
      ...(paused ? { paused } : {}),
      pins: new Map(Object.entries(pins).map(([name, pinnedTasks]) => [name, { pinnedTasks, by: 'the control parameter' }])),
      refused: new Map(),
      strays: [],
    },
  });

/** 900 behind on 4 partitions: the decision is 4 tasks. */
const backlog = (group: string) => groupLag(group, [300, 300, 200, 100]);

/** One idle target at 1 task, pinned at 8 by the control parameter, with a step of 2: ECS takes each count it is set to. */
function pinnedAt8() {
  const services = { 'loans-worker': active(1) };
  const { deps, setDesiredCount } = fakes({ 'loans-group': groupLag('loans-group', [0, 0, 0, 0]) }, services);
  setDesiredCount.mockImplementation(async (_cluster, service, desired) => {
    services[service as 'loans-worker'] = active(desired);
  });
  const loans = target('loans', { maxScaleUpStep: 2 });
  const tickAt = async (offsetMs: number) => {
    deps.now = () => NOW + offsetMs;
    const { result } = await runTick(
      plan([loans], { deadline: NOW + offsetMs + 50_000, controls: controls(undefined, { loans: 8 }) }),
      deps,
    );
    return result.decisions[0];
  };
  return { services, tickAt };
}

describe("an operator's pause or pin", () => {
  it('a pause holds the count where a backlog would scale up, says what the decision would be, and keeps the heartbeat', async () => {
    const { deps, setDesiredCount } = fakes({ 'loans-group': backlog('loans-group') }, { 'loans-worker': active(1) });

    const { result } = await runTick(plan([target('loans')], { controls: controls({ by: 'SCALER_PAUSED' }) }), deps);

    expect(result.decisions[0]).toMatchObject({ reason: 'paused', current: 1, desired: 1, changed: false, inControl: true });
    expect(result.decisions[0]!.explanation).toMatch(/^Paused by SCALER_PAUSED: held at 1\. The decision would be 4 \([a-z-]+\): /);
    expect(result.errors).toEqual([]);
    expect(setDesiredCount).not.toHaveBeenCalled();
  });

  it('a pin moves its target to the pinned count whatever the lag, and leaves the others to the decision', async () => {
    const { deps, setDesiredCount } = fakes(
      { 'loans-group': groupLag('loans-group', [0, 0, 0, 0]), 'payments-group': backlog('payments-group') },
      { 'loans-worker': active(2), 'payments-worker': active(1) },
    );

    const { result } = await runTick(plan([target('loans'), target('payments')], { controls: controls(undefined, { loans: 6 }) }), deps);

    expect(result.decisions[0]).toMatchObject({ target: 'loans', reason: 'pinned', desired: 6, changed: true, inControl: true });
    expect(result.decisions[0]!.explanation).toMatch(/^Pinned by the control parameter at 6\. The decision would be /);
    expect(result.decisions[1]).toMatchObject({ target: 'payments', desired: 4, changed: true });
    expect(result.decisions[1]!.reason).not.toBe('pinned');
    expect(setDesiredCount.mock.calls.map(([, service, desired]) => [service, desired])).toEqual([
      ['loans-worker', 6],
      ['payments-worker', 4],
    ]);
  });

  it('a pin already reached holds there: nothing is sent', async () => {
    const { deps, setDesiredCount } = fakes({ 'loans-group': backlog('loans-group') }, { 'loans-worker': active(6) });

    const { result } = await runTick(plan([target('loans')], { controls: controls(undefined, { loans: 6 }) }), deps);

    expect(result.decisions[0]).toMatchObject({ reason: 'pinned', desired: 6, changed: false, inControl: true });
    expect(setDesiredCount).not.toHaveBeenCalled();
  });

  it('a pin far away moves a step per period at most (maxScaleUpStep), as the decision would', async () => {
    const { tickAt } = pinnedAt8();

    const first = await tickAt(0);
    expect(first).toMatchObject({ reason: 'pinned', desired: 3, changed: true });
    expect(first?.explanation).toMatch(/moving to 8, now 3 \(a step per period at most\)/);
    // A second tick in the same period steps from the same base: no further.
    expect(await tickAt(10_000)).toMatchObject({ reason: 'pinned', desired: 3, changed: false });
    expect(await tickAt(60_000)).toMatchObject({ reason: 'pinned', desired: 5, changed: true });
  });

  it('a pin below the count moves down a step per period at most (maxScaleDownStep)', async () => {
    const { deps, setDesiredCount } = fakes({ 'loans-group': backlog('loans-group') }, { 'loans-worker': active(9) });

    const { result } = await runTick(
      plan([target('loans', { maxScaleDownStep: 3 })], { controls: controls(undefined, { loans: 2 }) }),
      deps,
    );

    expect(result.decisions[0]).toMatchObject({ reason: 'pinned', desired: 6, changed: true });
    expect(setDesiredCount).toHaveBeenCalledExactlyOnceWith('prod', 'loans-worker', 6, expect.any(AbortSignal));
  });

  it('a dry run reports the pause and the pin but sends nothing', async () => {
    const { deps, setDesiredCount } = fakes(
      { 'loans-group': backlog('loans-group'), 'payments-group': backlog('payments-group') },
      { 'loans-worker': active(1), 'payments-worker': active(1) },
    );
    const targets = [target('loans'), target('payments')];

    const paused = await runTick(plan(targets, { dryRun: true, controls: controls({ by: 'SCALER_PAUSED' }) }), deps);
    const pinned = await runTick(plan(targets, { dryRun: true, controls: controls(undefined, { loans: 6 }) }), deps);

    expect(paused.result.decisions.map((d) => [d.reason, d.desired, d.changed, d.inControl])).toEqual([
      ['paused', 1, false, false],
      ['paused', 1, false, false],
    ]);
    expect(pinned.result.decisions[0]).toMatchObject({ reason: 'pinned', desired: 6, changed: false, dryRun: true });
    expect(setDesiredCount).not.toHaveBeenCalled();
  });

  it('a refused pin holds its own target alone, named; the others decide, act and keep their heartbeat', async () => {
    const { deps, setDesiredCount } = fakes(
      { 'loans-group': backlog('loans-group'), 'payments-group': backlog('payments-group') },
      { 'loans-worker': active(1), 'payments-worker': active(1) },
    );
    const problem =
      'control parameter /kafka-lag-scaler/control: pinnedTasks.loans: must be a whole number from 0 to maxTasks (10), got 99';
    const refused: ControlsResult = { ok: true, controls: { pins: new Map(), refused: new Map([['loans', problem]]), strays: [] } };

    const { result } = await runTick(plan([target('loans'), target('payments')], { controls: Promise.resolve(refused) }), deps);

    expect(result.decisions[0]).toMatchObject({ reason: 'pin-refused', desired: 1, changed: false, inControl: false });
    expect(result.decisions[0]!.explanation).toContain(problem);
    expect(result.decisions[1]).toMatchObject({ target: 'payments', desired: 4, changed: true, inControl: true });
    expect(result.errors).toEqual([{ target: 'loans', step: 'control', message: problem }]);
    expect(setDesiredCount).toHaveBeenCalledExactlyOnceWith('prod', 'payments-worker', 4, expect.any(AbortSignal));
  });

  it('a pin never moves the count away from itself when something else changed the count within the period', async () => {
    const { services, tickAt } = pinnedAt8();

    expect(await tickAt(0)).toMatchObject({ desired: 3, changed: true });
    services['loans-worker'] = active(6); // an operator, within the same period
    expect(await tickAt(20_000)).toMatchObject({ reason: 'pinned', current: 6, desired: 6, changed: false });
  });

  it('controls that cannot be read hold every target, count a control error for each, and give up the heartbeat', async () => {
    const { deps, setDesiredCount } = fakes(
      { 'loans-group': backlog('loans-group'), 'payments-group': backlog('payments-group') },
      { 'loans-worker': active(1), 'payments-worker': active(1) },
    );
    const problem = 'control parameter /kafka-lag-scaler/control: is not valid JSON';

    const { result } = await runTick(
      plan([target('loans'), target('payments')], { controls: Promise.resolve({ ok: false, problem }) }),
      deps,
    );

    for (const decision of result.decisions) {
      expect(decision).toMatchObject({ reason: 'control-unreadable', current: 1, desired: 1, changed: false, inControl: false });
      expect(decision.explanation).toContain(`The decision was 4`);
      expect(decision.explanation).toContain(problem);
    }
    expect(result.errors).toEqual([
      { target: 'loans', step: 'control', message: problem },
      { target: 'payments', step: 'control', message: problem },
    ]);
    expect(setDesiredCount).not.toHaveBeenCalled();
    // The observation is still history: rates stay measurable once the parameter is fixed.
    expect(deps.loops.history('loans', NOW + 60_000, target('loans').policy)).toHaveLength(1);
  });
});

describe('a scale-up confirmed by a second read (SCALER_CONFIRM_SECONDS)', () => {
  /** Ten partitions at this log end and committed offset each: the lag, not the partition count, sizes the service. */
  function tenPartitions(logEnd: number, committed: number): GroupLag {
    const partitions = Array.from({ length: 10 }, (_, partition) => ({
      topic: 't',
      partition,
      logStart: 0,
      logEnd,
      committed,
      lag: logEnd - committed,
    }));
    return {
      group: 'loans-group',
      status: 'ok',
      incomplete: false,
      ...lagTotals(partitions),
      partitions,
      missingTopics: [],
      warnings: [],
      readAt: NOW,
    };
  }
  /** Each read of the group answers with the next lag in turn, on a clock the tick's waits move. */
  function readsInTurn(...reads: GroupLag[]) {
    const { deps, setDesiredCount } = fakes({}, { 'loans-worker': active(1) });
    const requests: number[] = [];
    let clock = NOW;
    deps.readLag = (groups) => groups.map(() => (requests.push(clock), Promise.resolve(reads.shift()!)));
    deps.now = () => clock;
    deps.sleep = async (ms) => {
      clock += Math.max(0, ms);
    };
    return { deps, setDesiredCount, requests };
  }
  const confirming = (extra: Partial<TickPlan> = {}): Partial<TickPlan> => ({
    cadence: { tickSeconds: 60, surgeTickSeconds: 0, confirmSeconds: 5 },
    ...extra,
  });

  it('acts once, on what the second read shows, and says what the first read alone asked for', async () => {
    const { deps, setDesiredCount, requests } = readsInTurn(tenPartitions(1000, 970), tenPartitions(1050, 970));

    const { result, lagByTarget } = await runTick(plan([target('loans')], confirming()), deps);

    expect(requests).toEqual([NOW, NOW + 5_000]);
    expect(setDesiredCount).toHaveBeenCalledExactlyOnceWith('prod', 'loans-worker', 8, expect.any(AbortSignal));
    expect(result.decisions[0]).toMatchObject({ desired: 8, changed: true, inControl: true, lag: { total: 800 } });
    expect(result.decisions[0]!.explanation).toContain('Read again 5 s after a first read that alone asked for 3.');
    // The history holds the decision acted on; the first look was its input, not an entry.
    const history = deps.loops.history('loans', NOW + 10_000, target('loans').policy);
    expect(history.map((entry) => [entry.now, entry.decision?.desired, entry.decision?.recommendation])).toEqual([[NOW + 5_000, 8, 8]]);
    // The published figures are the read decided on.
    expect(lagByTarget.get('loans')?.totalLag).toBe(800);
  });

  it('holds when the second read fails: nothing scales on missing data', async () => {
    const { deps, setDesiredCount } = readsInTurn(tenPartitions(1000, 970), groupLag('loans-group', [], 'failed'));

    const { result } = await runTick(plan([target('loans')], confirming()), deps);

    expect(result.decisions[0]).toMatchObject({ reason: 'lag-read-failed', changed: false, inControl: false });
    expect(setDesiredCount).not.toHaveBeenCalled();
  });

  it('is taken by a scheduled dry run, so shadow mode shows what the live controller would do', async () => {
    const { deps, setDesiredCount, requests } = readsInTurn(tenPartitions(1000, 970), tenPartitions(1050, 970));

    const { result } = await runTick(plan([target('loans')], confirming({ dryRun: true })), deps);

    expect(requests).toEqual([NOW, NOW + 5_000]);
    expect(result.decisions[0]).toMatchObject({ desired: 8, changed: false, dryRun: true });
    expect(setDesiredCount).not.toHaveBeenCalled();
  });

  it('turns no scale-up into a scale-down: the first look’s recommendation holds the count through the stabilization', async () => {
    // At 5 tasks the first read asks for 10; the second shows the backlog gone, and alone would scale down to 1.
    const { deps, setDesiredCount } = readsInTurn(tenPartitions(1000, 900), tenPartitions(1000, 999));
    deps.describeService = async () => active(5);

    const { result } = await runTick(plan([target('loans')], confirming()), deps);

    expect(result.decisions[0]).toMatchObject({ current: 5, desired: 5, changed: false });
    expect(setDesiredCount).not.toHaveBeenCalled();
  });

  it('is left out by a hand-run dry run, by a decision that does not raise the count, and when the deadline leaves no room', async () => {
    const cases: Array<[string, Partial<TickPlan>, GroupLag]> = [
      ['hand-run dry run', { dryRun: true, keepHistory: false }, tenPartitions(1000, 970)],
      ['holds', {}, tenPartitions(1000, 995)],
      ['no room', { deadline: NOW + 7_000 }, tenPartitions(1000, 970)],
    ];
    for (const [name, extra, lag] of cases) {
      const { deps, requests } = readsInTurn(lag, lag);
      await runTick(plan([target('loans')], confirming(extra)), deps);
      expect(requests, name).toEqual([NOW]);
    }
  });
});
