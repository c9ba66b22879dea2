/**
 * The deployment configuration: defaults, and one test per mistake — each reported at synth time
 * with its field named, the controller's part in the controller's own words.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDeploymentConfig } from '../../infra/lib/config/deployment-config.js';
import { parseControllerConfig } from '../../src/config/controller-config.js';
import type { Env } from '../../src/config/env-reader.js';
import { deploymentOf, exampleConfig, INFRA_DIR } from './support.js';

type Config = Record<string, any>;

const KMS_KEY = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const SCRAM_SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:AmazonMSK_scaler-AbCdEf';

function problemsOf(change: (config: Config) => void): string[] {
  const config = exampleConfig();
  change(config);
  const result = parseDeploymentConfig(config);
  if (result.ok) throw new Error('expected the configuration to be refused');
  return result.problems;
}

describe('the documented example', () => {
  it('is infra/config.example.json, complete and valid', () => {
    const readme = readFileSync(join(INFRA_DIR, '..', 'docs', 'deploying.md'), 'utf8');
    const example = [...readme.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!).find((block) => block.includes('"clusterArn"'));
    expect(example, 'a ```json block with the complete configuration').toBeDefined();
    expect(JSON.parse(example!)).toEqual(exampleConfig());
    expect(parseDeploymentConfig(exampleConfig()).ok).toBe(true);
  });
});

describe('deployment configuration defaults', () => {
  it('fills every optional field with its default', () => {
    const config = exampleConfig();
    for (const field of ['stackName', 'auth', 'alarms', 'dryRun', 'tickSeconds', 'metricsNamespace', 'policy']) delete config[field];
    delete config.network.createVpcEndpoints;
    config.targets = [{ name: 'orders', group: 'orders-consumer', topics: ['orders'], cluster: 'prod', service: 'orders-consumer' }];
    const deployment = deploymentOf(config);
    expect(deployment.stackName).toBe('KafkaLagScaler');
    expect(deployment.auth).toBe('iam');
    expect(deployment.metricsNamespace).toBe('KafkaLagScaler/KafkaLagScaler');
    expect(deployment.network.createVpcEndpoints).toBe(true);
    expect(deployment.alarms).toEqual({ silentMinutes: 5, stalledMinutes: 15, timeLagMinutes: 5, atLimitMinutes: 10 });
    // One tick a minute, and the controller's own notification threshold (every action).
    expect(deployment.tickSeconds).toBe(60);
    expect(deployment.environment).not.toHaveProperty('SCALER_TICK_SECONDS');
    expect(deployment.environment).not.toHaveProperty('SCALER_NOTIFY_MIN_CHANGE');
    // The control parameter and the topic the stack creates, named after the stack.
    expect(deployment.controlParameterName).toBe('/KafkaLagScaler/control');
    expect(deployment.notificationTopicArn).toBe('arn:aws:sns:eu-west-1:123456789012:KafkaLagScaler-alarms');
    const [target] = deployment.targets;
    // One task's worth of cold-start backlog per minimum task.
    expect(target?.fallback).toEqual({
      lagThreshold: target!.target.policy.lagPerTask * target!.target.policy.minTasks,
      cooldownSeconds: 300,
    });
  });

  it("takes the stack's account, region and MSK names from the cluster ARN", () => {
    const { cluster } = deploymentOf(exampleConfig());
    expect(cluster).toMatchObject({
      partition: 'aws',
      region: 'eu-west-1',
      account: '123456789012',
      name: 'orders-msk',
      uuid: '6a1f2c3d-4b5e-6f70-8192-a3b4c5d6e7f8-2',
    });
  });

  it('gives the controller the targets without the infrastructure-only fields, and one variable per global policy field', () => {
    const { environment } = deploymentOf(exampleConfig());
    expect(JSON.parse(environment.SCALER_TARGETS!).map((t: Config) => Object.keys(t))).not.toContainEqual(
      expect.arrayContaining(['fallback']),
    );
    expect(environment).toMatchObject({
      SCALER_TARGET_TIME_LAG_SECONDS: '60',
      SCALER_SCALE_DOWN_STABILIZATION_SECONDS: '300',
      SCALER_PERIOD_SECONDS: '60',
      KAFKA_AUTH_MODE: 'iam',
    });
    expect(parseControllerConfig(environment).ok).toBe(true);
  });
});

describe('the controller environment the stack adds', () => {
  it('names the control parameter and the notification topic, and carries the tick and the notification threshold', () => {
    const config = exampleConfig();
    Object.assign(config, { stackName: 'Payments', tickSeconds: 10 });
    config.alarms.notifyMinChange = 3;
    expect(deploymentOf(config).environment).toMatchObject({
      SCALER_CONTROL_PARAMETER: '/Payments/control',
      SCALER_NOTIFY_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:Payments-alarms',
      SCALER_NOTIFY_MIN_CHANGE: '3',
      SCALER_TICK_SECONDS: '10',
    });
  });

  it('notifies a configured topic instead of creating one', () => {
    const config = exampleConfig();
    config.alarms.topicArn = 'arn:aws:sns:eu-west-1:123456789012:platform-oncall';
    const deployment = deploymentOf(config);
    expect(deployment.notificationTopicArn).toBe('arn:aws:sns:eu-west-1:123456789012:platform-oncall');
    expect(deployment.environment.SCALER_NOTIFY_TOPIC_ARN).toBe('arn:aws:sns:eu-west-1:123456789012:platform-oncall');
  });

  it("gives the dry-run function the controller's environment, read-only, and the controller accepts it", () => {
    const { environment, dryRunEnvironment } = deploymentOf(exampleConfig());
    const { SCALER_NOTIFY_TOPIC_ARN, SCALER_NOTIFY_MIN_CHANGE, ...shared } = environment;
    expect(SCALER_NOTIFY_TOPIC_ARN).toBeDefined();
    expect(dryRunEnvironment).toEqual({ ...shared, SCALER_DRY_RUN: 'true', SCALER_PUBLISH_METRICS: 'false' });
    const parsed = parseControllerConfig(dryRunEnvironment);
    expect(parsed.ok && parsed.config).toMatchObject({ dryRun: true, publishMetrics: false, notifyTopicArn: undefined });
  });
});

describe('every problem at once', () => {
  it("reports the infrastructure's and the controller's problems together, each under its field", () => {
    const problems = problemsOf((c) => {
      c.network.vpcId = 'vpc-nope';
      c.policy.tolerance = 2;
      c.targets[0].group = '';
      c.targets[2].fallback = 'off';
    });
    expect(problems.map((p) => p.slice(0, p.indexOf(':')))).toEqual([
      'network.vpcId',
      'targets[2] (audit).fallback',
      'policy.tolerance',
      'targets[0] (orders).group',
    ]);
  });
});

/** The example's controller environment with `change` applied: what the controller itself would be given. */
function controllerProblemsFor(change: (env: Env, targets: Config[]) => void): string[] {
  const env: Env = { ...deploymentOf(exampleConfig()).environment };
  const given = env.SCALER_TARGETS!;
  const targets = JSON.parse(given) as Config[];
  change(env, targets);
  // A change to the target list, unless the variable itself was replaced or removed.
  if (env.SCALER_TARGETS === given) env.SCALER_TARGETS = JSON.stringify(targets);
  const result = parseControllerConfig(env);
  return result.ok ? [] : result.problems;
}

describe("one test per mistake in the controller's part: its own message, under the configuration field", () => {
  // [mistake, change to the configuration, the field named, the same mistake in the controller's environment]
  const cases: [string, (config: Config) => void, string, (env: Env, targets: Config[]) => void][] = [
    [
      'clusterArn not an MSK cluster ARN',
      (c) => (c.clusterArn = 'arn:aws:ecs:eu-west-1:123456789012:cluster/prod'),
      'clusterArn',
      (e) => (e.MSK_CLUSTER_ARN = 'arn:aws:ecs:eu-west-1:123456789012:cluster/prod'),
    ],
    ['auth unknown', (c) => (c.auth = 'kerberos'), 'auth', (e) => (e.KAFKA_AUTH_MODE = 'kerberos')],
    [
      'scram without its secret',
      (c) => Object.assign(c, { auth: 'scram', scramSecretKmsKeyArn: KMS_KEY }),
      'scramSecretArn',
      (e) => (e.KAFKA_AUTH_MODE = 'scram'),
    ],
    [
      'metricsNamespace with a colon',
      (c) => (c.metricsNamespace = 'Kafka:Scaler'),
      'metricsNamespace',
      (e) => (e.SCALER_METRICS_NAMESPACE = 'Kafka:Scaler'),
    ],
    [
      'policy out of range',
      (c) => (c.policy.targetUtilization = 0),
      'policy.targetUtilization',
      (e) => (e.SCALER_TARGET_UTILIZATION = '0'),
    ],
    [
      'policy minTasks above maxTasks',
      (c) => Object.assign(c.policy, { minTasks: 5, maxTasks: 2 }),
      'policy.minTasks',
      (e) => Object.assign(e, { SCALER_MIN_TASKS: '5', SCALER_MAX_TASKS: '2' }),
    ],
    ['targets missing', (c) => delete c.targets, 'targets', (e) => delete e.SCALER_TARGETS],
    [
      'targets not an array',
      (c) => (c.targets = { name: 'orders' }),
      'targets',
      (e) => (e.SCALER_TARGETS = JSON.stringify({ name: 'orders' })),
    ],
    ['targets empty', (c) => (c.targets = []), 'targets', (_, t) => t.splice(0)],
    ['a target not an object', (c) => (c.targets[1] = 'billing'), 'targets[1]', (_, t) => (t[1] = 'billing' as never)],
    ['a target without its group', (c) => delete c.targets[0].group, 'targets[0] (orders).group', (_, t) => delete t[0]!.group],
    [
      'a target with a bad name',
      (c) => (c.targets[0].name = 'orders/eu'),
      'targets[0] (orders/eu).name',
      (_, t) => (t[0]!.name = 'orders/eu'),
    ],
    ['a target with an unknown field', (c) => (c.targets[1].maxTask = 3), 'targets[1] (billing).maxTask', (_, t) => (t[1]!.maxTask = 3)],
    ['a target with empty topics', (c) => (c.targets[1].topics = []), 'targets[1] (billing).topics', (_, t) => (t[1]!.topics = [])],
    ['two targets with one name', (c) => (c.targets[1].name = 'orders'), 'targets[1] (orders).name', (_, t) => (t[1]!.name = 'orders')],
    [
      'two targets scaling one service',
      (c) => (c.targets[1].service = 'orders-consumer'),
      'targets[1] (billing).service',
      (_, t) => (t[1]!.service = 'orders-consumer'),
    ],
    [
      'a target policy setting of the wrong type',
      (c) => (c.targets[0].scaleToZero = 'no'),
      'targets[0] (orders).scaleToZero',
      (_, t) => (t[0]!.scaleToZero = 'no'),
    ],
    [
      'a target policy out of range',
      (c) => (c.targets[0].maxScaleUpStep = 0),
      'targets[0] (orders).maxScaleUpStep',
      (_, t) => (t[0]!.maxScaleUpStep = 0),
    ],
  ];

  it.each(cases)('%s', (_, change, field, sameInEnvironment) => {
    // The first is the mistake itself (a malformed cluster ARN also leaves the IAM token without a region).
    const [first] = controllerProblemsFor(sameInEnvironment);
    const message = first!.slice(first!.indexOf(': ') + 2);
    expect(problemsOf(change)).toEqual([`${field}: ${message}`]);
  });
});

describe("one test per mistake in the infrastructure's part, each naming its field", () => {
  const cases: [string, (config: Config) => void, string][] = [
    [
      'clusterArn missing',
      (c) => delete c.clusterArn,
      'clusterArn: is required: the MSK cluster ARN (arn:aws:kafka:REGION:ACCOUNT:cluster/NAME/ID)',
    ],
    ['auth not a string', (c) => (c.auth = 1), 'auth: must be one of none, tls, scram, iam'],
    [
      "scram without the secret's KMS key",
      (c) => Object.assign(c, { auth: 'scram', scramSecretArn: SCRAM_SECRET }),
      'scramSecretKmsKeyArn: is required when auth is scram (MSK SCRAM secrets are encrypted with a customer managed key the controller must decrypt with)',
    ],
    [
      'scramSecretKmsKeyArn not a key ARN',
      (c) => (c.scramSecretKmsKeyArn = 'alias/msk'),
      'scramSecretKmsKeyArn: must be a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)',
    ],
    [
      'stackName not a stack name',
      (c) => (c.stackName = '1 scaler'),
      'stackName: must be a CloudFormation stack name (letters, digits and "-", starting with a letter)',
    ],
    ['an unknown field', (c) => (c.clusterARN = c.clusterArn), 'clusterARN: is not a configuration field'],
    ['network missing', (c) => delete c.network, 'network: is required: {"vpcId", "subnetIds", "brokerSecurityGroupId"}'],
    ['network.vpcId malformed', (c) => (c.network.vpcId = 'vpc-123'), 'network.vpcId: must be a VPC ID (vpc-…)'],
    ['network.subnetIds empty', (c) => (c.network.subnetIds = []), 'network.subnetIds: must name at least one subnet'],
    [
      'network.subnetIds not an array',
      (c) => (c.network.subnetIds = 'subnet-0a1b2c3d4e5f60718'),
      'network.subnetIds: must be an array of subnet IDs',
    ],
    [
      'network.subnetIds with a malformed ID',
      (c) => (c.network.subnetIds[1] = 'sn-1'),
      'network.subnetIds[1]: must be a subnet ID (subnet-…)',
    ],
    [
      'network.brokerSecurityGroupId missing',
      (c) => delete c.network.brokerSecurityGroupId,
      'network.brokerSecurityGroupId: must be the security group ID of the MSK brokers (sg-…)',
    ],
    [
      'network.createVpcEndpoints not a boolean',
      (c) => (c.network.createVpcEndpoints = 'yes'),
      'network.createVpcEndpoints: must be true or false',
    ],
    ['an unknown network field', (c) => (c.network.natGateway = true), 'network.natGateway: is not a configuration field'],
    ['alarms.email not an address', (c) => (c.alarms.email = 'oncall'), 'alarms.email: must be an email address'],
    ['alarms.silentMinutes too short', (c) => (c.alarms.silentMinutes = 1), 'alarms.silentMinutes: must be at least 2'],
    ['alarms.stalledMinutes not whole', (c) => (c.alarms.stalledMinutes = 2.5), 'alarms.stalledMinutes: must be a whole number'],
    ['alarms.timeLagMinutes zero', (c) => (c.alarms.timeLagMinutes = 0), 'alarms.timeLagMinutes: must be at least 1'],
    ['alarms.atLimitMinutes not whole', (c) => (c.alarms.atLimitMinutes = 1.5), 'alarms.atLimitMinutes: must be a whole number'],
    ['alarms.topicArn not a topic', (c) => (c.alarms.topicArn = 'platform-oncall'), 'alarms.topicArn: must be an SNS topic ARN'],
    ['alarms.notifyMinChange zero', (c) => (c.alarms.notifyMinChange = 0), 'alarms.notifyMinChange: must be at least 1, got 0'],
    [
      'alarms.notifyMinChange not a number',
      (c) => (c.alarms.notifyMinChange = '2'),
      'alarms.notifyMinChange: must be a whole number of tasks',
    ],
    ['dryRun not a boolean', (c) => (c.dryRun = 'yes'), 'dryRun: must be true or false'],
    ['tickSeconds not dividing the minute', (c) => (c.tickSeconds = 7), 'tickSeconds: must divide SCALER_PERIOD_SECONDS (60), got 7'],
    ['tickSeconds not a number', (c) => (c.tickSeconds = '10'), 'tickSeconds: must be a whole number of seconds dividing 60'],
    ['policy not an object', (c) => (c.policy = 5), 'policy: must be an object of policy settings'],
    ['policy with an unknown setting', (c) => (c.policy.lagPerTasks = 5), 'policy.lagPerTasks: is not a policy setting'],
    ['policy with a wrong type', (c) => (c.policy.maxTasks = '10'), 'policy.maxTasks: must be a number, got "10"'],
    [
      'fallback neither a boolean nor settings',
      (c) => (c.targets[0].fallback = 'auto'),
      'targets[0] (orders).fallback: must be false, true, or {"lagThreshold": messages, "cooldownSeconds": seconds}',
    ],
    [
      'fallback.lagThreshold not positive',
      (c) => (c.targets[0].fallback.lagThreshold = 0),
      'targets[0] (orders).fallback.lagThreshold: must be more than 0',
    ],
    [
      'fallback.cooldownSeconds too short',
      (c) => (c.targets[0].fallback.cooldownSeconds = 30),
      'targets[0] (orders).fallback.cooldownSeconds: must be at least 60',
    ],
    [
      'fallback with an unknown setting',
      (c) => (c.targets[0].fallback.threshold = 10),
      'targets[0] (orders).fallback.threshold: is not a configuration field',
    ],
    [
      'fallback on a target whose topics are discovered',
      (c) => delete c.targets[2].fallback,
      'targets[2] (audit).topics: the fallback alarm sums MSK\'s per-topic SumOffsetLag, so it needs the topics named; name them, or set "fallback": false',
    ],
    [
      'fallback over more topics than an alarm can read',
      (c) => (c.targets[1].topics = Array.from({ length: 10 }, (_, i) => `invoices-${i}`)),
      'targets[1] (billing).topics: the fallback alarm can sum at most 9 topics (a CloudWatch alarm reads at most 10 metrics, one is the heartbeat); or set "fallback": false',
    ],
    [
      "more targets than Lambda's 4 KB environment holds",
      (c) =>
        (c.targets = Array.from({ length: 40 }, (_, i) => ({
          name: `target-${i}`,
          group: `consumer-group-${i}`,
          cluster: 'prod',
          service: `consumer-service-${i}`,
          maxTasks: 10,
          fallback: false,
        }))),
      'targets: the controller\'s environment would be 4932 bytes, over Lambda\'s 4096; move shared settings to "policy" or split the targets over two deployments (stackName)',
    ],
    [
      'fallback on a group MSK publishes no lag for',
      (c) => (c.targets[1].group = 'billing:v2'),
      'targets[1] (billing).group: MSK publishes no lag metrics for a group name containing ":", so the fallback could never see a backlog; or set "fallback": false',
    ],
  ];

  it('the file is not an object', () => {
    expect(parseDeploymentConfig([])).toEqual({ ok: false, problems: ['(config): must be a JSON object'] });
  });

  it.each(cases)('%s', (_, change, expected) => {
    expect(problemsOf(change)).toEqual([expected]);
  });
});
