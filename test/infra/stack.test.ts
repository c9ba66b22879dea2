/**
 * The stack synthesized from infra/config.example.json (once): every resource the deployment needs,
 * with its key properties.
 */
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DECISIONS_QUERY } from '../../infra/lib/controller-dashboard.js';
import { UPDATE_SERVICE_CHANGE_KEYS } from '../../infra/lib/controller-permissions.js';
import { METRIC } from '../../src/adapters/cloudwatch/metric-names.js';
import { parseInvocation } from '../../src/tick/invocation.js';
import { deploymentOf, exampleConfig, synthesize } from './support.js';

/** The default namespace: unique to the deployment (KafkaLagScaler/<stackName>). */
const NAMESPACE = 'KafkaLagScaler/KafkaLagScaler';
const CLUSTER_ARN = 'arn:aws:kafka:eu-west-1:123456789012:cluster/orders-msk/6a1f2c3d-4b5e-6f70-8192-a3b4c5d6e7f8-2';
const KAFKA_RESOURCE = 'arn:aws:kafka:eu-west-1:123456789012:%s/orders-msk/6a1f2c3d-4b5e-6f70-8192-a3b4c5d6e7f8-2/%s';

let template: Template;
beforeAll(() => {
  template = synthesize(exampleConfig());
});

interface Statement {
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
  Sid?: string;
}

/** Every statement of every inline policy in the template. */
function statements(): Statement[] {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (policy) => policy.Properties.PolicyDocument.Statement as Statement[],
  );
}
const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
function statement(sid: string): Statement {
  const found = statements().find((s) => s.Sid === sid);
  if (!found) throw new Error(`no statement ${sid}`);
  return found;
}
function alarmWith(description: RegExp) {
  const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter((a) =>
    description.test(a.Properties.AlarmDescription),
  );
  expect(alarms).toHaveLength(1);
  return alarms[0]!.Properties;
}

describe('controller Lambda', () => {
  it('runs Node.js 22 on arm64, one at a time, sized for a 60 s tick', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 512,
      Timeout: 50,
      ReservedConcurrentExecutions: 1,
    });
  });

  it('has the environment built from the configuration, exactly', () => {
    const { environment } = deploymentOf(exampleConfig());
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectEquals(environment) },
    });
  });

  it('drops asynchronous events to the alias the schedule invokes older than one period, and never retries them', () => {
    template.resourceCountIs('AWS::Lambda::EventInvokeConfig', 1);
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: Match.stringLikeRegexp('^ControllerFunction') },
      Qualifier: { 'Fn::Select': [7, { 'Fn::Split': [':', { Ref: Match.stringLikeRegexp('^ControllerFunctionLiveAlias') }] }] },
      MaximumEventAgeInSeconds: 60,
      MaximumRetryAttempts: 0,
    });
  });

  it('publishes a version per deploy behind the alias "live", keeping the earlier ones for a rollback', () => {
    const versions = template.findResources('AWS::Lambda::Version');
    expect(Object.keys(versions)).toEqual([expect.stringMatching(/^ControllerFunctionCurrentVersion/)]);
    const [versionId] = Object.keys(versions);
    expect(versions[versionId!]).toMatchObject({ UpdateReplacePolicy: 'Retain', DeletionPolicy: 'Retain' });
    template.hasResourceProperties('AWS::Lambda::Alias', {
      Name: 'live',
      FunctionName: { Ref: Match.stringLikeRegexp('^ControllerFunction') },
      FunctionVersion: { 'Fn::GetAtt': [versionId, 'Version'] },
    });
  });

  it('runs in the configured subnets with its own security group', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      VpcConfig: {
        SubnetIds: ['subnet-0a1b2c3d4e5f60718', 'subnet-0b1c2d3e4f5a60718', 'subnet-0c1d2e3f4a5b60718'],
        SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('ControllerSecurityGroup'), 'GroupId'] }],
      },
    });
  });

  it('logs to its own log group with a retention', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    template.hasResourceProperties('AWS::Lambda::Function', {
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('ControllerLogs') } },
    });
  });
});

describe('schedule', () => {
  it('ticks every minute, retries little, and drops a tick older than one period', () => {
    template.resourceCountIs('AWS::Scheduler::Schedule', 1);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 minute)',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        // The alias: a rollback moves it, and the schedule follows.
        Arn: { Ref: Match.stringLikeRegexp('^ControllerFunctionLiveAlias') },
        RetryPolicy: { MaximumEventAgeInSeconds: 60, MaximumRetryAttempts: 2 },
      },
    });
  });

  it('sends the payload the controller recognises as a scheduled tick', () => {
    const schedule = Object.values(template.findResources('AWS::Scheduler::Schedule'))[0]!;
    const input = (schedule.Properties.Target.Input as string).replace('<aws.scheduler.scheduled-time>', '2026-11-25T22:00:00Z');
    expect(parseInvocation(JSON.parse(input))).toEqual({
      ok: true,
      invocation: { kind: 'scheduled', scheduledAt: Date.parse('2026-11-25T22:00:00Z') },
    });
  });
});

describe('network', () => {
  it('lets the controller out to the brokers on the IAM port and to the VPC endpoints on 443, nothing else', () => {
    const controllerGroup = Object.values(template.findResources('AWS::EC2::SecurityGroup')).find((g) =>
      /controller/.test(g.Properties.GroupDescription),
    );
    expect(controllerGroup?.Properties.SecurityGroupEgress).toBeUndefined(); // no CIDR egress at all
    const egress = Object.values(template.findResources('AWS::EC2::SecurityGroupEgress')).map((e) => e.Properties);
    expect(egress).toHaveLength(2);
    expect(egress).toContainEqual(
      expect.objectContaining({ DestinationSecurityGroupId: 'sg-0a1b2c3d4e5f60718', FromPort: 9098, ToPort: 9098 }),
    );
    expect(egress).toContainEqual(
      expect.objectContaining({
        FromPort: 443,
        ToPort: 443,
        DestinationSecurityGroupId: { 'Fn::GetAtt': [expect.stringMatching(/EndpointSecurityGroup/), 'GroupId'] },
      }),
    );
  });

  it("opens the brokers' security group to the controller on that port only", () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: 'sg-0a1b2c3d4e5f60718',
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('ControllerSecurityGroup'), 'GroupId'] },
      FromPort: 9098,
      ToPort: 9098,
    });
  });

  it('creates the VPC endpoints of the APIs it calls (ECS, MSK, CloudWatch, SNS, SSM), by default', () => {
    const endpoints = Object.values(template.findResources('AWS::EC2::VPCEndpoint')).map((e) => e.Properties.ServiceName);
    expect(endpoints.sort()).toEqual(['ecs', 'kafka', 'monitoring', 'sns', 'ssm'].map((s) => `com.amazonaws.eu-west-1.${s}`));
  });
});

describe('IAM, least privilege', () => {
  it('reads and scales only the configured services, and may change nothing of them but the desired count', () => {
    const services = ['audit-archiver', 'billing-consumer', 'orders-consumer'].map(
      (s) => `arn:aws:ecs:eu-west-1:123456789012:service/prod/${s}`,
    );
    expect(statement('ReadConfiguredServices')).toEqual({
      Sid: 'ReadConfiguredServices',
      Effect: 'Allow',
      Action: 'ecs:DescribeServices',
      Resource: services,
    });
    expect(statement('SetDesiredCountOfConfiguredServices')).toEqual({
      Sid: 'SetDesiredCountOfConfiguredServices',
      Effect: 'Allow',
      Action: 'ecs:UpdateService',
      Resource: services,
      Condition: { Null: Object.fromEntries(UPDATE_SERVICE_CHANGE_KEYS.map((key) => [key, 'true'])) },
    });
    expect(UPDATE_SERVICE_CHANGE_KEYS).toEqual(
      expect.arrayContaining(['ecs:task-definition', 'ecs:enable-execute-command', 'ecs:capacity-provider', 'ecs:subnet']),
    );
  });

  it('discovers brokers of the configured cluster only', () => {
    expect(statement('DiscoverBrokers')).toMatchObject({ Action: 'kafka:GetBootstrapBrokers', Resource: CLUSTER_ARN });
  });

  it('connects to the cluster and describes only its groups and topics (all of its topics, as one target discovers them)', () => {
    expect(statement('ConnectToCluster')).toMatchObject({ Action: 'kafka-cluster:Connect', Resource: CLUSTER_ARN });
    expect(statement('DescribeTargetGroups')).toMatchObject({
      Action: 'kafka-cluster:DescribeGroup',
      Resource: ['audit-archiver', 'billing-consumer', 'orders-consumer'].map((g) =>
        KAFKA_RESOURCE.replace('%s', 'group').replace('%s', g),
      ),
    });
    expect(statement('DescribeTargetTopics')).toMatchObject({
      Action: 'kafka-cluster:DescribeTopic',
      Resource: KAFKA_RESOURCE.replace('%s', 'topic').replace('%s', '*'),
    });
    expect(statements().flatMap((s) => asList(s.Action))).not.toContain('kafka-cluster:DescribeCluster');
  });

  it("publishes metrics only to the controller's namespace, and reads metrics", () => {
    expect(statement('PublishOwnMetrics')).toMatchObject({
      Action: 'cloudwatch:PutMetricData',
      Resource: '*',
      Condition: { StringEquals: { 'cloudwatch:namespace': NAMESPACE } },
    });
    expect(statement('ReadOwnMetrics')).toMatchObject({ Action: 'cloudwatch:GetMetricData', Resource: '*' });
  });

  it('grants no ecs:UpdateService and no kafka-cluster action on "*"', () => {
    const onEverything = statements().filter((s) => asList(s.Resource).includes('*'));
    const actions = onEverything.flatMap((s) => asList(s.Action));
    expect(
      actions.filter((a) => a === 'ecs:UpdateService' || a.startsWith('ecs:*') || a.startsWith('kafka-cluster:') || a === '*'),
    ).toEqual([]);
  });

  it('reads no secret and uses no key outside SCRAM', () => {
    expect(
      statements()
        .flatMap((s) => asList(s.Action))
        .filter((a) => a.startsWith('secretsmanager:') || a.startsWith('kms:')),
    ).toEqual([]);
  });
});

describe('fallback', () => {
  it("registers each fallback target's service with the controller's own bounds, through ECS's service-linked role", () => {
    template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 2);
    const role =
      'arn:aws:iam::123456789012:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService';
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      ServiceNamespace: 'ecs',
      ScalableDimension: 'ecs:service:DesiredCount',
      ResourceId: 'service/prod/orders-consumer',
      MinCapacity: 2,
      MaxCapacity: 24,
      RoleARN: role,
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      ResourceId: 'service/prod/billing-consumer',
      MinCapacity: 1,
      MaxCapacity: 6,
      RoleARN: role,
    });
  });

  it('leaves a target with "fallback": false alone', () => {
    const ids = Object.values(template.findResources('AWS::ApplicationAutoScaling::ScalableTarget')).map((t) => t.Properties.ResourceId);
    expect(ids).not.toContain('service/prod/audit-archiver');
  });

  it('only adds tasks, more the larger the backlog, with a cooldown', () => {
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'StepScaling',
      ScalingTargetId: { Ref: Match.stringLikeRegexp('ordersFallbackScalableTarget') },
      StepScalingPolicyConfiguration: {
        AdjustmentType: 'ChangeInCapacity',
        Cooldown: 300,
        MetricAggregationType: 'Maximum',
        StepAdjustments: [
          { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 50_000, ScalingAdjustment: 1 },
          { MetricIntervalLowerBound: 50_000, MetricIntervalUpperBound: 150_000, ScalingAdjustment: 2 },
          { MetricIntervalLowerBound: 150_000, ScalingAdjustment: 4 },
        ],
      },
    });
  });

  it("fires only when the heartbeat is missing and MSK's lag over the target's topics is high, for silentMinutes in a row", () => {
    const alarm = alarmWith(/fallback for orders/);
    expect(alarm).toMatchObject({
      Threshold: 50_000,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 5,
      DatapointsToAlarm: 5,
      TreatMissingData: 'notBreaching',
    });
    const metrics = alarm.Metrics as { Id: string; Expression?: string; ReturnData: boolean; MetricStat?: any }[];
    expect(metrics.filter((m) => m.ReturnData).map((m) => m.Expression)).toEqual([
      'IF(FILL(heartbeat, 0) == 0, FILL(lag0, REPEAT) + FILL(lag1, REPEAT), 0)',
    ]);
    const byId = Object.fromEntries(metrics.map((m) => [m.Id, m.MetricStat]));
    expect(byId.heartbeat).toEqual({
      Metric: { Namespace: NAMESPACE, MetricName: METRIC.heartbeat, Dimensions: [{ Name: 'Target', Value: 'orders' }] },
      Period: 60,
      Stat: 'Sum',
    });
    expect(byId.lag0).toEqual({
      Metric: {
        Namespace: 'AWS/Kafka',
        MetricName: 'SumOffsetLag',
        Dimensions: [
          { Name: 'Cluster Name', Value: 'orders-msk' },
          { Name: 'Consumer Group', Value: 'orders-consumer' },
          { Name: 'Topic', Value: 'orders' },
        ],
      },
      Period: 60,
      Stat: 'Maximum',
    });
    expect(byId.lag1.Metric.Dimensions).toContainEqual({ Name: 'Topic', Value: 'orders-retry' });
  });

  it('triggers the step scaling policy and tells the alarm topic both ways', () => {
    const alarm = alarmWith(/fallback for orders/);
    expect(alarm.AlarmActions).toEqual([
      { Ref: expect.stringMatching(/^ordersFallbackScaleOut/) },
      { Ref: expect.stringMatching(/^AlarmsTopic/) },
    ]);
    expect(alarm.OKActions).toEqual([{ Ref: expect.stringMatching(/^AlarmsTopic/) }]);
  });
});

describe('alarms', () => {
  it('go to one SNS topic with the configured email subscribed', () => {
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'KafkaLagScaler-alarms' });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
    for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) {
      expect(alarm.Properties.AlarmActions).toContainEqual({ Ref: expect.stringMatching(/^AlarmsTopic/) });
    }
  });

  it('one per failing controller invocation pattern', () => {
    expect(alarmWith(/controller invocation failed/)).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Statistic: 'Sum',
      Period: 60,
      EvaluationPeriods: 5,
      DatapointsToAlarm: 3,
      TreatMissingData: 'notBreaching',
    });
  });

  it.each(['orders', 'billing', 'audit'])('for %s: dead, blind, erring, and stalled longer than stalledMinutes', (name) => {
    const dimensions = [{ Name: 'Target', Value: name }];
    const dead = alarmWith(new RegExp(`^DEAD: the controller has not run for ${name} `));
    expect(dead).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 5,
      DatapointsToAlarm: 5,
      TreatMissingData: 'breaching',
    });
    expect(dead.Metrics.find((m: { ReturnData?: boolean }) => m.ReturnData !== false).Expression).toBe(
      'IF(FILL(heartbeat, 0) == 0, IF(FILL(ticks, 0) == 0, 1, 0), 0)',
    );
    expect(dead.Metrics.find((m: { Id: string }) => m.Id === 'ticks').MetricStat).toMatchObject({
      Metric: { MetricName: METRIC.errors, Dimensions: dimensions },
      Stat: 'SampleCount',
    });
    const blind = alarmWith(new RegExp(`^BLIND: the controller runs but could not see or act on ${name} `));
    expect(blind).toMatchObject({ Threshold: 1, EvaluationPeriods: 5, DatapointsToAlarm: 5, TreatMissingData: 'notBreaching' });
    expect(blind.Metrics.find((m: { ReturnData?: boolean }) => m.ReturnData !== false).Expression).toBe(
      'IF(FILL(heartbeat, 0) == 0, IF(FILL(errors, 0) > 0, 1, 0), 0)',
    );
    expect(blind.Metrics.find((m: { Id: string }) => m.Id === 'heartbeat').MetricStat).toMatchObject({
      Metric: { MetricName: METRIC.heartbeat, Dimensions: dimensions },
      Stat: 'Sum',
    });
    expect(alarmWith(new RegExp(`act for ${name} in`))).toMatchObject({
      MetricName: METRIC.errors,
      Dimensions: dimensions,
      Statistic: 'Sum',
      DatapointsToAlarm: 3,
      EvaluationPeriods: 5,
    });
    expect(alarmWith(new RegExp(`group of ${name} has been in STALL or STOP`))).toMatchObject({
      MetricName: METRIC.stalled,
      Dimensions: dimensions,
      Statistic: 'Maximum',
      Threshold: 1,
      EvaluationPeriods: 15,
      DatapointsToAlarm: 15,
      TreatMissingData: 'notBreaching',
    });
  });
});

describe('alarms on what matters to the service', () => {
  it('for orders, with an objective: its time lag over maxTimeLagSeconds (180 s) for timeLagMinutes', () => {
    expect(alarmWith(/^The oldest unconsumed message of orders has been older than its objective/)).toMatchObject({
      AlarmName: 'KafkaLagScaler-ordersTimeLagOverObjective',
      Namespace: NAMESPACE,
      MetricName: METRIC.timeLagSeconds,
      Dimensions: [{ Name: 'Target', Value: 'orders' }],
      Statistic: 'Maximum',
      Period: 60,
      Threshold: 180,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 5,
      DatapointsToAlarm: 5,
      TreatMissingData: 'notBreaching',
    });
  });

  it('none on time lag for a target without an objective', () => {
    const names = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties.AlarmName);
    expect(names.filter((n: string) => n.endsWith('TimeLagOverObjective'))).toEqual(['KafkaLagScaler-ordersTimeLagOverObjective']);
  });

  it.each(['orders', 'billing', 'audit'])('for %s: at a limit while the lag grows, scaling ineffective, stuck partitions', (name) => {
    const dimensions = [{ Name: 'Target', Value: name }];
    const flag = { Dimensions: dimensions, Statistic: 'Maximum', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' };
    expect(alarmWith(new RegExp(`^${name} has been at a limit`))).toMatchObject({
      ...flag,
      AlarmName: `KafkaLagScaler-${name}AtLimitLagGrowing`,
      MetricName: METRIC.atLimitLagGrowing,
      EvaluationPeriods: 10,
      DatapointsToAlarm: 10,
    });
    expect(alarmWith(new RegExp(`^Added tasks of ${name} have stopped adding throughput`))).toMatchObject({
      ...flag,
      AlarmName: `KafkaLagScaler-${name}ScalingIneffective`,
      MetricName: METRIC.scalingIneffective,
      EvaluationPeriods: 10,
    });
    expect(alarmWith(new RegExp(`^Partitions of ${name} have held a committed offset`))).toMatchObject({
      ...flag,
      AlarmName: `KafkaLagScaler-${name}StuckPartitions`,
      MetricName: METRIC.stuckPartitions,
      EvaluationPeriods: 15,
    });
  });

  it('every alarm, old and new, tells the topic when it fires and when it recovers', () => {
    for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) {
      expect(alarm.Properties.AlarmActions).toContainEqual({ Ref: expect.stringMatching(/^AlarmsTopic/) });
      expect(alarm.Properties.OKActions).toEqual([{ Ref: expect.stringMatching(/^AlarmsTopic/) }]);
    }
  });
});

describe('dashboard', () => {
  interface Widget {
    type: string;
    properties: { title?: string; markdown?: string; metrics?: unknown[][]; query?: string };
  }
  let widgets: Widget[];
  beforeAll(() => {
    const dashboard = Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]!;
    expect(dashboard.Properties.DashboardName).toBe('KafkaLagScaler');
    // The body is a Fn::Join of JSON text around the log group's name.
    const [, parts] = dashboard.Properties.DashboardBody['Fn::Join'] as [string, unknown[]];
    widgets = JSON.parse(parts.map((part) => (typeof part === 'string' ? part : 'LOG_GROUP')).join('')).widgets;
  });
  /** The metric names (or [namespace, name, dims…] rows) a widget titled `title` plots. */
  function plotted(title: string): unknown[][] {
    const widget = widgets.find((w) => w.properties.title === title);
    if (!widget) throw new Error(`no widget "${title}"`);
    return widget.properties.metrics ?? [];
  }
  const row = (namespace: string, name: string, target: string) => expect.arrayContaining([namespace, name, 'Target', target]);

  it.each(['orders', 'billing', 'audit'])('shows %s: lag, time lag, produce vs consume rate, desired vs running tasks', (target) => {
    expect(plotted(`${target}: lag (messages)`)).toEqual(
      expect.arrayContaining([row(NAMESPACE, METRIC.totalLag, target), row(NAMESPACE, METRIC.maxPartitionLag, target)]),
    );
    expect(plotted(`${target}: time lag (s)`)).toEqual([
      row(NAMESPACE, METRIC.timeLagSeconds, target),
      row(NAMESPACE, METRIC.expectedTimeLagSeconds, target),
      row(NAMESPACE, METRIC.timeLagObjective, target),
    ]);
    expect(plotted(`${target}: produce vs consume (msg/s)`)).toEqual([
      row(NAMESPACE, METRIC.produceRate, target),
      row(NAMESPACE, METRIC.consumeRate, target),
      row(NAMESPACE, METRIC.consumeCeiling, target),
    ]);
    expect(plotted(`${target}: tasks`)).toEqual(
      expect.arrayContaining([row(NAMESPACE, METRIC.desiredTasks, target), row(NAMESPACE, METRIC.runningTasks, target)]),
    );
  });

  it.each(['orders', 'billing', 'audit'])(
    'shows why the count of %s does not follow its lag: holds, limits, stuck partitions',
    (target) => {
      expect(plotted(`${target}: holds, limits and stuck partitions`)).toEqual([
        row(NAMESPACE, METRIC.operatorHold, target),
        row(NAMESPACE, METRIC.atLimitLagGrowing, target),
        row(NAMESPACE, METRIC.scalingIneffective, target),
        row(NAMESPACE, METRIC.stuckPartitions, target),
      ]);
    },
  );

  it("plots MSK's own lag beside the controller's for named topics", () => {
    expect(plotted('orders: lag (messages)')).toContainEqual(
      expect.arrayContaining(['AWS/Kafka', 'SumOffsetLag', 'Consumer Group', 'orders-consumer', 'Topic', 'orders-retry']),
    );
  });

  it("lists decisions and reasons from the controller's log", () => {
    const logs = widgets.find((w) => w.type === 'log');
    expect(logs?.properties.title).toBe('Decisions and reasons');
    expect(logs?.properties.query).toBe(`SOURCE 'LOG_GROUP' | ${DECISIONS_QUERY}`);
  });
});
