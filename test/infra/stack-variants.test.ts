/**
 * What changes with the configuration: the auth mode (port, Kafka IAM or the SCRAM secret), VPC
 * endpoints, named topics, and the fallback's bounds and steps. One synth per variant.
 */
import { type Annotations, Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { POLICY_FIELDS } from '../../src/decision/index.js';
import { exampleConfig, synthesize, synthesizeWithAnnotations } from './support.js';

const KMS_KEY = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const SCRAM_SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:AmazonMSK_scaler-AbCdEf';
const TOPIC_ARN = 'arn:aws:kafka:eu-west-1:123456789012:topic/orders-msk/6a1f2c3d-4b5e-6f70-8192-a3b4c5d6e7f8-2/';

function actions(template: Template): string[] {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) =>
    (p.Properties.PolicyDocument.Statement as { Action: string | string[] }[]).flatMap((s) =>
      Array.isArray(s.Action) ? s.Action : [s.Action],
    ),
  );
}

describe('SCRAM through VPC endpoints', () => {
  let template: Template;
  beforeAll(() => {
    const config = exampleConfig();
    Object.assign(config, { auth: 'scram', scramSecretArn: SCRAM_SECRET, scramSecretKmsKeyArn: KMS_KEY });
    config.network.createVpcEndpoints = true;
    template = synthesize(config);
  });

  it('reaches the brokers on the SCRAM port', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { GroupId: 'sg-0a1b2c3d4e5f60718', FromPort: 9096, ToPort: 9096 });
  });

  it('reads the SCRAM secret, and decrypts it only through Secrets Manager', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'secretsmanager:GetSecretValue', Resource: SCRAM_SECRET }),
          Match.objectLike({
            Action: 'kms:Decrypt',
            Resource: KMS_KEY,
            Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } },
          }),
        ]),
      },
    });
  });

  it('needs no Kafka IAM permissions', () => {
    expect(actions(template).filter((a) => a.startsWith('kafka-cluster:'))).toEqual([]);
  });

  it('creates interface endpoints for ECS, MSK, CloudWatch, Secrets Manager, SNS and SSM in the configured subnets', () => {
    const endpoints = Object.values(template.findResources('AWS::EC2::VPCEndpoint')).map((e) => e.Properties);
    expect(endpoints.map((e) => e.ServiceName).sort()).toEqual(
      ['ecs', 'kafka', 'monitoring', 'secretsmanager', 'sns', 'ssm'].map((s) => `com.amazonaws.eu-west-1.${s}`),
    );
    for (const endpoint of endpoints) {
      expect(endpoint).toMatchObject({
        VpcEndpointType: 'Interface',
        PrivateDnsEnabled: true,
        VpcId: 'vpc-0a1b2c3d4e5f60718',
        SubnetIds: ['subnet-0a1b2c3d4e5f60718', 'subnet-0b1c2d3e4f5a60718', 'subnet-0c1d2e3f4a5b60718'],
      });
    }
  });

  it("sends the controller's HTTPS to the endpoints only, not to the internet", () => {
    const egress = Object.values(template.findResources('AWS::EC2::SecurityGroupEgress')).map((e) => e.Properties);
    expect(egress).toContainEqual(
      expect.objectContaining({
        FromPort: 443,
        ToPort: 443,
        DestinationSecurityGroupId: { 'Fn::GetAtt': [expect.stringMatching(/EndpointSecurityGroup/), 'GroupId'] },
      }),
    );
    const controllerGroup = Object.values(template.findResources('AWS::EC2::SecurityGroup')).find((g) =>
      /controller/.test(g.Properties.GroupDescription),
    );
    expect(controllerGroup?.Properties.SecurityGroupEgress).toBeUndefined();
  });
});

describe.each([
  ['tls', 9094],
  ['none', 9092],
])('auth %s', (auth, port) => {
  let template: Template;
  beforeAll(() => {
    template = synthesize({ ...exampleConfig(), auth });
  });

  it(`reaches the brokers on ${port}`, () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { GroupId: 'sg-0a1b2c3d4e5f60718', FromPort: port, ToPort: port });
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      DestinationSecurityGroupId: 'sg-0a1b2c3d4e5f60718',
      FromPort: port,
      ToPort: port,
    });
  });

  it('needs neither Kafka IAM permissions nor secrets', () => {
    expect(actions(template).filter((a) => /^(kafka-cluster|secretsmanager|kms):/.test(a))).toEqual([]);
  });
});

describe("IAM auth with every target's topics named", () => {
  let template: Template;
  beforeAll(() => {
    const config = exampleConfig();
    config.targets[2].topics = ['audit-log'];
    delete config.targets[2].fallback;
    // Caps the fallback's steps at the controller's own step limit.
    config.targets[2].maxScaleUpStep = 2;
    template = synthesize(config);
  });

  it('describes exactly those topics', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'DescribeTargetTopics',
            Action: 'kafka-cluster:DescribeTopic',
            Resource: ['audit-log', 'invoices', 'orders', 'orders-retry'].map((t) => TOPIC_ARN + t),
          }),
        ]),
      },
    });
  });

  it('gives a scale-to-zero target a fallback that may start from zero, with the default threshold and steps capped at maxScaleUpStep', () => {
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      ResourceId: 'service/prod/audit-archiver',
      MinCapacity: 0,
      MaxCapacity: 100,
    });
    const alarm = Object.values(template.findResources('AWS::CloudWatch::Alarm')).find((a) =>
      /fallback for audit/.test(a.Properties.AlarmDescription),
    );
    const threshold = alarm?.Properties.Threshold as number;
    // lagPerTask × minTasks (1) by default.
    expect(threshold).toBe(POLICY_FIELDS.lagPerTask.default);
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      ScalingTargetId: { Ref: Match.stringLikeRegexp('auditFallbackScalableTarget') },
      StepScalingPolicyConfiguration: {
        StepAdjustments: [
          { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: threshold, ScalingAdjustment: 1 },
          { MetricIntervalLowerBound: threshold, MetricIntervalUpperBound: 3 * threshold, ScalingAdjustment: 2 },
          { MetricIntervalLowerBound: 3 * threshold, ScalingAdjustment: 2 },
        ],
      },
    });
    expect(alarm?.Properties.Metrics[0].Expression).toBe('IF(FILL(heartbeat, 0) == 0, FILL(lag0, REPEAT), 0)');
  });
});

describe("without VPC endpoints (through the subnets' NAT gateway)", () => {
  let template: Template;
  let annotations: Annotations;
  beforeAll(() => {
    const config = exampleConfig();
    config.network.createVpcEndpoints = false;
    ({ template, annotations } = synthesizeWithAnnotations(config));
  });

  it('needs 443 to any address, creates no endpoints, and says so at synth', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupEgress: [
        { CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Description: Match.stringLikeRegexp('NAT') },
      ],
    });
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
    const warnings = annotations.findWarning(
      '*',
      Match.stringLikeRegexp('createVpcEndpoints is false: the controller may reach any address on 443'),
    );
    expect(warnings).toHaveLength(1);
  });
});
