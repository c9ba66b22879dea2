/**
 * cdk-nag's AWS Solutions rules on the stack, through CDK's own validations API (cdk-nag v3): every
 * finding is fixed, or acknowledged next to its resource with the reason it stays. One synth per
 * configuration that changes the IAM statements or the topic.
 */
import { App, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { KafkaLagScalerStack } from '../../infra/lib/kafka-lag-scaler-stack.js';
import { deploymentOf, exampleConfig } from './support.js';

const SCRAM = {
  auth: 'scram',
  scramSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:AmazonMSK_scaler-AbCdEf',
  scramSecretKmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
};

function stackOf(config: Record<string, any>): Stack {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const deployment = deploymentOf(config);
  return new KafkaLagScalerStack(app, deployment.stackName, { deployment });
}

function findings(stack: Stack): string[] {
  const report = new AwsSolutionsChecks(stack.node.root).validateScope(stack);
  return report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.resourceLogicalId}`));
}

const VARIANTS: Array<[string, (config: Record<string, any>) => void]> = [
  ['the example configuration (IAM, a target discovering its topics)', () => {}],
  [
    'SCRAM through VPC endpoints, every topic named',
    (config) => {
      Object.assign(config, SCRAM);
      config.network.createVpcEndpoints = true;
      for (const target of config.targets) target.topics ??= ['orders'];
    },
  ],
];

describe('cdk-nag (AwsSolutions) on the stack', () => {
  it.each(VARIANTS)('finds nothing unacknowledged: %s', (_name, change) => {
    const config = exampleConfig();
    change(config);
    expect(findings(stackOf(config))).toEqual([]);
  });

  it('gives both functions roles of their own with no AWS-managed policy, logging to their own log group only', () => {
    const template = Template.fromStack(stackOf(exampleConfig()));
    const roles = Object.values(
      template.findResources('AWS::IAM::Role', {
        Properties: { AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'lambda.amazonaws.com' } }] } },
      }),
    );
    expect(roles).toHaveLength(2);
    for (const role of roles) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    const logStatements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) =>
      (p.Properties.PolicyDocument.Statement as Array<{ Sid?: string; Resource: unknown }>).filter((s) => s.Sid === 'WriteOwnLogs'),
    );
    expect(logStatements).toHaveLength(2);
    for (const statement of logStatements) expect(JSON.stringify(statement.Resource)).toMatch(/Fn::GetAtt.*Logs.*Arn/);
  });

  it('lets only TLS publishers reach the alarm topic', () => {
    const template = Template.fromStack(stackOf(exampleConfig()));
    const policies = Object.values(template.findResources('AWS::SNS::TopicPolicy'));
    expect(JSON.stringify(policies)).toMatch(/"aws:SecureTransport":"false"/);
  });
});
