/** `kafka-lag-scaler decide` as a user runs it: a real process, the embedded Kafka, the ECS stand-in. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CloudWatchStandIn, startCloudWatchStandIn } from '../../tools/local-stack/cloudwatch-stand-in.js';
import { type EcsStandIn, startEcsStandIn } from '../../tools/local-stack/ecs-stand-in.js';
import { type EmbeddedKafka, startEmbeddedKafka } from '../../tools/local-stack/embedded-kafka.js';
import { runCli } from '../support/cli.js';
import { produce } from '../support/kafka.js';

let kafka: EmbeddedKafka;
let ecs: EcsStandIn;
let cloudwatch: CloudWatchStandIn;
let env: NodeJS.ProcessEnv;
const loans = { name: 'loans', group: 'loan-approvals', topics: ['loan-events'], cluster: 'prod', service: 'loan-worker', lagPerTask: 100 };

const cli = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) => runCli(args, { ...env, ...extraEnv });

beforeAll(async () => {
  kafka = await startEmbeddedKafka({ brokers: 1, topics: { 'loan-events': 4 } });
  await produce(kafka.bootstrapServers, 'loan-events', [100, 100, 100, 100]);
  await kafka.commitOffsets(
    'loan-approvals',
    [0, 1, 2, 3].map((partition) => ({ topic: 'loan-events', partition, offset: 50 })),
  );
  ecs = await startEcsStandIn({ services: [{ cluster: 'prod', service: 'loan-worker', desiredCount: 1 }] });
  cloudwatch = await startCloudWatchStandIn();
  env = {
    PATH: process.env.PATH,
    KAFKA_BROKERS: kafka.bootstrapServers.join(','),
    KAFKA_AUTH_MODE: 'none',
    SCALER_TARGETS: JSON.stringify([loans]),
    AWS_ENDPOINT_URL_ECS: ecs.url,
    AWS_ENDPOINT_URL_CLOUDWATCH: cloudwatch.url,
    SCALER_AWS_TIMEOUT_MS: '1000',
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  };
});
afterAll(async () => {
  await ecs.stop();
  await cloudwatch.stop();
  await kafka.stop();
});

describe('kafka-lag-scaler decide', () => {
  it('prints exactly one JSON object with --json and exits 0', async () => {
    const { code, stdout } = await cli(['decide', '--dry-run', '--json']);

    expect(code).toBe(0);
    const output = JSON.parse(stdout);
    expect(Object.keys(output)).toEqual(expect.arrayContaining(['decisions', 'errors']));
    expect(output.errors).toEqual([]);
    expect(output.decisions[0]).toMatchObject({
      target: 'loans',
      group: 'loan-approvals',
      cluster: 'prod',
      service: 'loan-worker',
      lag: { total: 200, max: 50, partitions: expect.arrayContaining([{ topic: 'loan-events', partition: 0, lag: 50 }]) },
      current: 1,
      running: 1,
      desired: 2,
      changed: false,
      dryRun: true,
      reason: expect.any(String),
      explanation: expect.any(String),
    });
    expect(ecs.callsOf('UpdateService')).toHaveLength(0);
  });

  it('prints a readable table without --json, and tries settings with --set', async () => {
    const { code, stdout } = await cli(['decide', '--dry-run', '--set', 'maxTasks=1']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^TARGET\s+LAG\s+CURRENT\s+RUNNING\s+DESIRED\s+CHANGED\s+REASON/);
    expect(stdout).toMatch(/loans\s+200\s+1\s+1\s+1\s+no\s+/);
  });

  it('says, with an objective, what the decided count promises: the time lag it expects and when the backlog is gone', async () => {
    const args = ['decide', '--dry-run', '--sample-seconds', '1', '--set', 'taskThroughput=10', '--set', 'maxTimeLagSeconds=180'];
    const { code, stdout } = await cli(args);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^loans\s+200\s+1\s+1\s+\d+\s+.*\s\d+ s\s+\d+ s \/ 180 s\s+\d+ s\s+sampled/m);
    expect(stdout).toMatch(/At \d+ tasks? the backlog is gone in \d+ s and no message will be older than \d+ s\./);
  });

  it('scales when not a dry run, calling UpdateService', async () => {
    const { code, stdout } = await cli(['decide', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).decisions[0]).toMatchObject({ desired: 2, changed: true, dryRun: false });
    expect(ecs.getService('prod', 'loan-worker').desiredCount).toBe(2);
  });

  it('exits 1 when a target fails', async () => {
    const { code, stdout } = await cli(['decide', '--dry-run', '--json'], {
      SCALER_TARGETS: JSON.stringify([{ ...loans, service: 'gone' }]),
    });
    expect(code).toBe(1);
    expect(JSON.parse(stdout).errors[0]).toMatchObject({ target: 'loans', step: 'describe-service' });
  });

  it('exits 2 on an invalid configuration, listing the problems on stderr and calling nothing', async () => {
    const calls = ecs.calls.length;
    const { code, stdout, stderr } = await cli(['decide', '--json'], { SCALER_TARGETS: '[{"name":"loans"}]', SCALER_MAX_TASKS: 'lots' });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/SCALER_MAX_TASKS: must be a number/);
    expect(stderr).toMatch(/SCALER_TARGETS\[0\] \(loans\)\.group: is required/);
    expect(ecs.calls.length).toBe(calls);
  });

  it('exits 2 on bad arguments, each said in its own words before the usage', async () => {
    const refused = async (args: string[]) => {
      const { code, stdout, stderr } = await cli(args);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      return stderr;
    };
    expect(await refused(['decide', '--set', 'maxTasks=3'])).toMatch(/--set: needs --dry-run/);
    expect(await refused(['decide', '--dry-run', '--target', 'nope'])).toMatch(/--target: no target named "nope"/);
    expect(await refused(['decid'])).toMatch(/^kafka-lag-scaler: unknown command 'decid'; did you mean decide\?\nusage: /);
    const bogus = await refused(['decide', '--bogus']);
    expect(bogus).toMatch(/^kafka-lag-scaler: unknown option --bogus\nusage: /);
    expect(bogus).not.toMatch(/positional|To specify/);
    expect(await refused(['decide', '--dry-rn'])).toMatch(/unknown option --dry-rn; did you mean --dry-run\?/);
    expect(await refused(['decide', '--target'])).toMatch(/--target needs a value/);
    expect(await refused(['decide', '--dry-run', '--set', 'SCALER_MAX_TASKS=3'])).toMatch(
      /--set SCALER_MAX_TASKS=3: --set takes the policy field's name, not its variable: use --set maxTasks=3/,
    );
    expect(await refused(['decide', '--dry-run', '--sample-seconds', 'soon'])).toMatch(
      /--sample-seconds: must be a whole number of seconds/,
    );
    expect(await refused(['decide', '--dry-run', '--publish-metrics', '--set', 'maxTasks=3'])).toMatch(/--publish-metrics: not with --set/);
  });

  it('says credentials are missing, and how to give them, when the SDK finds none', async () => {
    const home = mkdtempSync(join(tmpdir(), 'no-aws-'));
    try {
      const { code, stdout } = await cli(['decide', '--dry-run', '--json', '--sample-seconds', '0'], {
        AWS_ACCESS_KEY_ID: undefined,
        AWS_SECRET_ACCESS_KEY: undefined,
        HOME: home,
        AWS_EC2_METADATA_DISABLED: 'true',
      });
      expect(code).toBe(1);
      const { errors } = JSON.parse(stdout);
      expect(errors[0]).toMatchObject({
        step: 'describe-service',
        message: expect.stringMatching(/failed \(credentials, CredentialsProviderError\)/),
      });
      expect(errors[0].message).toMatch(/no AWS credentials were found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE/);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('prints the package version with --version', async () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    const { code, stdout } = await cli(['--version']);
    expect(code).toBe(0);
    expect(stdout).toBe(`${version}\n`);
  });

  it('shows an unknown lag as —, never as 0, when the lag read fails', async () => {
    await kafka.brokerDown(-1);
    try {
      const { code, stdout } = await cli(['decide', '--dry-run', '--sample-seconds', '0'], {
        KAFKA_CONNECT_TIMEOUT_MS: '300',
        KAFKA_REQUEST_TIMEOUT_MS: '500',
      });
      expect(code).toBe(1);
      expect(stdout).toMatch(/^loans\s+—\s+.*lag-read-failed/m);
    } finally {
      await kafka.brokerUp(-1);
    }
    const partial = await cli(['decide', '--dry-run', '--sample-seconds', '0'], {
      SCALER_TARGETS: JSON.stringify([{ ...loans, topics: ['loan-events', 'no-such-topic'] }]),
    });
    expect(partial.stdout).toMatch(/^loans\s+—\s+.*lag-read-incomplete/m);
  });

  describe('--publish-metrics: the heartbeat says the controller saw, decided and could act', () => {
    const published = (metric: string) =>
      cloudwatch
        .datums()
        .filter((d) => d.metricName === metric && d.dimensions.Target === 'loans')
        .map((d) => d.value);

    it('publishes the heartbeat for a run that may act on a healthy cluster', async () => {
      cloudwatch.reset();
      const { code, stdout } = await cli(['decide', '--json', '--publish-metrics']);
      expect(code).toBe(0);
      expect(JSON.parse(stdout).decisions[0]).toMatchObject({ inControl: true });
      expect(published('Heartbeat')).toEqual([1]);
      expect(published('Errors')).toEqual([0]);
    });

    it('never publishes a heartbeat from a dry run', async () => {
      cloudwatch.reset();
      const { code } = await cli(['decide', '--dry-run', '--json', '--publish-metrics']);
      expect(code).toBe(0);
      expect(published('Heartbeat')).toEqual([]);
      expect(published('DryRunHeartbeat')).toEqual([1]);
    });

    it('publishes an error and no heartbeat when the broker is dead', async () => {
      cloudwatch.reset();
      await kafka.brokerDown(-1);
      try {
        const { code, stdout } = await cli(['decide', '--json', '--publish-metrics'], {
          KAFKA_CONNECT_TIMEOUT_MS: '300',
          KAFKA_REQUEST_TIMEOUT_MS: '500',
        });
        expect(code).toBe(1);
        expect(JSON.parse(stdout).decisions[0]).toMatchObject({ reason: 'lag-read-failed', inControl: false });
        expect(published('Heartbeat')).toEqual([]);
        expect(published('Errors')).toEqual([1]);
        expect(published('LagReadErrors')).toEqual([1]);
        expect(published('LogEndOffsetSum')).toEqual([]);
      } finally {
        await kafka.brokerUp(-1);
      }
    });

    it('prints the decision and exits 1 with a warning when publishing fails', async () => {
      cloudwatch.reset();
      cloudwatch.failNext(10, 'PutMetricData', { type: 'InternalServiceFault', status: 500 });
      const { code, stdout, stderr } = await cli(['decide', '--dry-run', '--json', '--publish-metrics']);
      expect(code).toBe(1);
      expect(JSON.parse(stdout).decisions[0]).toMatchObject({ target: 'loans', dryRun: true });
      expect(stderr).toMatch(/metrics not published.*InternalServiceFault/);
      cloudwatch.reset();
    });
  });
});
