/**
 * What an operator works with besides the scheduled controller: the tick and the timeout that
 * follows from it, the read-only dry-run function, the control parameter for pause and pin, the
 * topic for alarms and scale notifications, and the stack's outputs.
 */
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { deploymentOf, exampleConfig, synthesize } from './support.js';

const CONTROL_PARAMETER_ARN = 'arn:aws:ssm:eu-west-1:123456789012:parameter/KafkaLagScaler/control';
const TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:KafkaLagScaler-alarms';

let template: Template;
beforeAll(() => {
  template = synthesize(exampleConfig());
});

interface Statement {
  Sid?: string;
  Action: string | string[];
  Resource: unknown;
}

/** The statements of the inline policy of the role of the function whose logical ID starts with `prefix` (`ControllerFunction`: `ControllerRole`). */
function statementsOf(t: Template, prefix: string): Statement[] {
  const rolePrefix = prefix.replace(/Function$/, 'Role');
  const policies = Object.values(t.findResources('AWS::IAM::Policy')).filter((policy) =>
    (policy.Properties.Roles as { Ref: string }[]).some((role) => role.Ref.startsWith(rolePrefix)),
  );
  expect(policies).toHaveLength(1);
  return policies[0]!.Properties.PolicyDocument.Statement as Statement[];
}
const actionsOf = (t: Template, prefix: string) =>
  statementsOf(t, prefix).flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));

function functionProperties(t: Template, prefix: string) {
  const found = Object.entries(t.findResources('AWS::Lambda::Function')).filter(([id]) => id.startsWith(prefix));
  expect(found).toHaveLength(1);
  return found[0]![1].Properties;
}

describe('the tick', () => {
  it('one a minute: the scheduled controller has the one-tick budget, 50 s', () => {
    expect(functionProperties(template, 'ControllerFunction')).toMatchObject({ Timeout: 50, ReservedConcurrentExecutions: 1 });
  });

  it('several a minute: the controller runs until just before the next invocation (57 s), with SCALER_TICK_SECONDS set', () => {
    const config = exampleConfig();
    config.tickSeconds = 10;
    const controller = functionProperties(synthesize(config), 'ControllerFunction');
    expect(controller.Timeout).toBe(57);
    expect(controller.Environment.Variables.SCALER_TICK_SECONDS).toBe('10');
    expect(controller.Description).toMatch(/a tick every 10 s$/);
  });
});

describe('the dry-run function for hand-runs', () => {
  it('runs the same code, one tick a run, without reserved concurrency (the controller’s one instance would throttle it)', () => {
    const dryRun = functionProperties(template, 'DryRunFunction');
    const controller = functionProperties(template, 'ControllerFunction');
    expect(dryRun).toMatchObject({ Handler: controller.Handler, Runtime: controller.Runtime, MemorySize: 512, Timeout: 50 });
    expect(dryRun.Code).toEqual(controller.Code);
    expect(dryRun.ReservedConcurrentExecutions).toBeUndefined();
    expect(dryRun.VpcConfig).toEqual(controller.VpcConfig);
  });

  it('never acts, publishes or notifies: SCALER_DRY_RUN=true, SCALER_PUBLISH_METRICS=false, no topic', () => {
    const { dryRunEnvironment } = deploymentOf(exampleConfig());
    expect(functionProperties(template, 'DryRunFunction').Environment.Variables).toEqual(dryRunEnvironment);
    expect(dryRunEnvironment).toMatchObject({ SCALER_DRY_RUN: 'true', SCALER_PUBLISH_METRICS: 'false' });
    expect(dryRunEnvironment).not.toHaveProperty('SCALER_NOTIFY_TOPIC_ARN');
  });

  it('may read Kafka, the services, the controller’s metrics and the control parameter, besides writing its logs and joining the VPC', () => {
    const running = statementsOf(template, 'DryRunFunction').filter((s) => s.Sid === 'WriteOwnLogs' || s.Sid === 'PlaceInVpc');
    const runningActions = new Set(running.flatMap((s) => [s.Action].flat()));
    expect(
      actionsOf(template, 'DryRunFunction')
        .filter((a) => !runningActions.has(a))
        .sort(),
    ).toEqual([
      'cloudwatch:GetMetricData',
      'ecs:DescribeServices',
      'kafka-cluster:Connect',
      'kafka-cluster:DescribeGroup',
      'kafka-cluster:DescribeTopic',
      'kafka:GetBootstrapBrokers',
      'ssm:GetParameter',
    ]);
    expect([...runningActions].filter((a) => !a.startsWith('logs:') && !a.startsWith('ec2:'))).toEqual([]);
  });

  it('may not set a count, write a metric or publish a notification', () => {
    const actions = actionsOf(template, 'DryRunFunction');
    for (const forbidden of ['ecs:UpdateService', 'cloudwatch:PutMetricData', 'sns:Publish']) expect(actions).not.toContain(forbidden);
    expect(actions.filter((a) => a.endsWith('*') || a.startsWith('ecs:Update') || a.startsWith('sns:'))).toEqual([]);
  });

  it('the scheduled controller has what the dry-run function lacks, exactly', () => {
    const controller = actionsOf(template, 'ControllerFunction');
    const dryRun = new Set(actionsOf(template, 'DryRunFunction'));
    expect(controller.filter((a) => !dryRun.has(a)).sort()).toEqual(['cloudwatch:PutMetricData', 'ecs:UpdateService', 'sns:Publish']);
  });
});

describe('the control parameter', () => {
  it('is created empty ({}), named after the stack', () => {
    template.resourceCountIs('AWS::SSM::Parameter', 1);
    template.hasResourceProperties('AWS::SSM::Parameter', { Type: 'String', Name: '/KafkaLagScaler/control', Value: '{}' });
  });

  it('is named to both functions as SCALER_CONTROL_PARAMETER', () => {
    for (const prefix of ['ControllerFunction', 'DryRunFunction']) {
      expect(functionProperties(template, prefix).Environment.Variables.SCALER_CONTROL_PARAMETER).toBe('/KafkaLagScaler/control');
    }
  });

  it('is readable by both with ssm:GetParameter on exactly it, and no other SSM action', () => {
    for (const prefix of ['ControllerFunction', 'DryRunFunction']) {
      const ssm = statementsOf(template, prefix).filter((s) => [s.Action].flat().some((a) => a.startsWith('ssm:')));
      expect(ssm).toEqual([expect.objectContaining({ Action: 'ssm:GetParameter', Resource: CONTROL_PARAMETER_ARN })]);
    }
  });
});

describe('scale notifications', () => {
  it('go to the stack’s topic: SCALER_NOTIFY_TOPIC_ARN is its ARN, and the controller alone may publish to it', () => {
    const variables = functionProperties(template, 'ControllerFunction').Environment.Variables;
    expect(variables).toMatchObject({ SCALER_NOTIFY_TOPIC_ARN: TOPIC_ARN, SCALER_NOTIFY_MIN_CHANGE: '2' });
    template.hasResourceProperties('AWS::SNS::Topic', { TopicName: TOPIC_ARN.split(':').at(-1) });
    expect(statementsOf(template, 'ControllerFunction').filter((s) => s.Sid === 'NotifyScaleActions')).toEqual([
      expect.objectContaining({ Action: 'sns:Publish', Resource: TOPIC_ARN }),
    ]);
  });

  it('with a configured topic: no topic of the stack’s own, and alarms and notifications go to it', () => {
    const configured = 'arn:aws:sns:eu-west-1:123456789012:platform-oncall';
    const config = exampleConfig();
    config.alarms.topicArn = configured;
    const t = synthesize(config);
    t.resourceCountIs('AWS::SNS::Topic', 0);
    expect(functionProperties(t, 'ControllerFunction').Environment.Variables.SCALER_NOTIFY_TOPIC_ARN).toBe(configured);
    expect(statementsOf(t, 'ControllerFunction').find((s) => s.Sid === 'NotifyScaleActions')?.Resource).toBe(configured);
    for (const alarm of Object.values(t.findResources('AWS::CloudWatch::Alarm'))) expect(alarm.Properties.OKActions).toEqual([configured]);
    t.hasResourceProperties('AWS::SNS::Subscription', { TopicArn: configured, Protocol: 'email' });
    t.hasOutput('NotificationTopicArn', { Value: configured });
  });
});

describe('outputs', () => {
  it('name both functions, the alias, the dashboard, the topic and the control parameter', () => {
    expect(Object.keys(template.findOutputs('*')).sort()).toEqual([
      'ControlParameterName',
      'ControllerAliasArn',
      'ControllerFunctionName',
      'DashboardUrl',
      'DryRunFunctionName',
      'NotificationTopicArn',
    ]);
    template.hasOutput('ControllerFunctionName', { Value: { Ref: Match.stringLikeRegexp('^ControllerFunction') } });
    template.hasOutput('ControllerAliasArn', { Value: { Ref: Match.stringLikeRegexp('^ControllerFunctionLiveAlias') } });
    template.hasOutput('DryRunFunctionName', { Value: { Ref: Match.stringLikeRegexp('^DryRunFunction') } });
    template.hasOutput('NotificationTopicArn', { Value: { Ref: Match.stringLikeRegexp('^AlarmsTopic') } });
    template.hasOutput('ControlParameterName', { Value: { Ref: Match.stringLikeRegexp('^ControlParameter') } });
    template.hasOutput('DashboardUrl', {
      Value: 'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards/dashboard/KafkaLagScaler',
    });
  });
});
