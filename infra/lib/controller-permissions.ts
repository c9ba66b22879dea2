/**
 * The controller's IAM permissions, least privilege: each action on the resources the
 * configuration names, never `*` where the service supports resource scoping.
 */
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Deployment } from './config/deployment-config.js';
import { clusterResourceArn } from './config/msk-cluster.js';
import { ecsServiceArn } from './ecs-service-arn.js';
import { acknowledgeFindings } from './nag-findings.js';

/**
 * ECS condition keys that UpdateService sets when a request changes more than the desired count:
 * the task definition, the capacity providers, ECS Exec, Service Connect, EBS volumes, and the
 * network (subnets, public IPs). The controller's role may call UpdateService only while none of
 * them is present, so a stolen role cannot swap images, open ECS Exec or re-network a service.
 */
export const UPDATE_SERVICE_CHANGE_KEYS = [
  'ecs:task-definition',
  'ecs:capacity-provider',
  'ecs:enable-execute-command',
  'ecs:enable-service-connect',
  'ecs:enable-ebs-volumes',
  'ecs:subnet',
  'ecs:auto-assign-public-ip',
] as const;

/**
 * What deciding needs: read the services, the lag, the controller's own metrics (history) and the
 * control parameter. The scheduled controller and the dry-run function both have these.
 */
function readPermissions(deployment: Deployment): PolicyStatement[] {
  const { cluster, targets } = deployment;
  const statements = [
    new PolicyStatement({
      sid: 'ReadConfiguredServices',
      actions: ['ecs:DescribeServices'],
      resources: targets.map(({ target }) => ecsServiceArn(target, cluster)),
    }),
    new PolicyStatement({ sid: 'DiscoverBrokers', actions: ['kafka:GetBootstrapBrokers'], resources: [cluster.arn] }),
    // Rebuilds history from the controller's own metrics after a cold start; GetMetricData has no resource type.
    new PolicyStatement({ sid: 'ReadOwnMetrics', actions: ['cloudwatch:GetMetricData'], resources: ['*'] }),
    new PolicyStatement({
      sid: 'ReadControlParameter',
      actions: ['ssm:GetParameter'],
      resources: [controlParameterArn(deployment)],
    }),
  ];
  if (deployment.auth === 'iam') statements.push(...kafkaIamStatements(deployment));
  if (deployment.scram) {
    statements.push(
      new PolicyStatement({ sid: 'ReadScramSecret', actions: ['secretsmanager:GetSecretValue'], resources: [deployment.scram.secretArn] }),
      new PolicyStatement({
        sid: 'DecryptScramSecret',
        actions: ['kms:Decrypt'],
        resources: [deployment.scram.kmsKeyArn],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${cluster.region}.amazonaws.com` } },
      }),
    );
  }
  return statements;
}

/** What acting and reporting need: the scheduled controller's alone. */
function actPermissions(deployment: Deployment): PolicyStatement[] {
  const { cluster, targets } = deployment;
  return [
    new PolicyStatement({
      sid: 'SetDesiredCountOfConfiguredServices',
      actions: ['ecs:UpdateService'],
      resources: targets.map(({ target }) => ecsServiceArn(target, cluster)),
      // Only a desired count: every other change UpdateService can make carries one of these keys.
      conditions: { Null: Object.fromEntries(UPDATE_SERVICE_CHANGE_KEYS.map((key) => [key, 'true'])) },
    }),
    new PolicyStatement({
      sid: 'PublishOwnMetrics',
      actions: ['cloudwatch:PutMetricData'],
      // PutMetricData has no resource type; the namespace condition is its scope.
      resources: ['*'],
      conditions: { StringEquals: { 'cloudwatch:namespace': deployment.metricsNamespace } },
    }),
    new PolicyStatement({ sid: 'NotifyScaleActions', actions: ['sns:Publish'], resources: [deployment.notificationTopicArn] }),
  ];
}

/** `arn:…:ssm:REGION:ACCOUNT:parameter/NAME`: the name already starts with "/". */
function controlParameterArn({ cluster, controlParameterName }: Deployment): string {
  return `arn:${cluster.partition}:ssm:${cluster.region}:${cluster.account}:parameter${controlParameterName}`;
}

/**
 * MSK IAM access control: connect, then Metadata/ListOffsets (DescribeTopic) and
 * FindCoordinator/OffsetFetch/DescribeGroups (DescribeGroup). Topics are the targets' own; a target
 * whose topics are discovered from its committed offsets needs every topic of the cluster (still
 * this cluster's only). No DescribeCluster: discovery reads the group's offsets, not the cluster.
 */
function kafkaIamStatements({ cluster, targets }: Deployment): PolicyStatement[] {
  const discovers = targets.some(({ target }) => !target.topics);
  const topics = discovers ? ['*'] : [...new Set(targets.flatMap(({ target }) => target.topics ?? []))];
  const groups = [...new Set(targets.map(({ target }) => target.group))];
  return [
    new PolicyStatement({ sid: 'ConnectToCluster', actions: ['kafka-cluster:Connect'], resources: [cluster.arn] }),
    new PolicyStatement({
      sid: 'DescribeTargetTopics',
      actions: ['kafka-cluster:DescribeTopic'],
      resources: topics.map((t) => clusterResourceArn(cluster, 'topic', t)),
    }),
    new PolicyStatement({
      sid: 'DescribeTargetGroups',
      actions: ['kafka-cluster:DescribeGroup'],
      resources: groups.map((g) => clusterResourceArn(cluster, 'group', g)),
    }),
  ];
}

/** The scheduled controller: read, decide, act, report. */
export function grantControllerPermissions(fn: IFunction, deployment: Deployment): void {
  for (const statement of [...readPermissions(deployment), ...actPermissions(deployment)]) fn.addToRolePolicy(statement);
  acknowledgeWildcards(
    fn,
    deployment,
    'ReadOwnMetrics and PublishOwnMetrics: GetMetricData and PutMetricData have no resource type (PutMetricData is held to the namespace by its condition)',
  );
}

/** The dry-run function: read and decide only; it can change nothing, publish nothing, notify no one. */
export function grantDryRunPermissions(fn: IFunction, deployment: Deployment): void {
  for (const statement of readPermissions(deployment)) fn.addToRolePolicy(statement);
  acknowledgeWildcards(fn, deployment, 'ReadOwnMetrics: GetMetricData has no resource type');
}

/** The wildcards the statements above cannot avoid, each said where cdk-nag (AwsSolutions-IAM5) would flag it. */
function acknowledgeWildcards(fn: IFunction, { cluster, targets }: Deployment, metrics: string): void {
  if (!fn.role) return;
  const findings: Array<[string, string]> = [['AwsSolutions-IAM5[Resource::*]', metrics]];
  if (targets.some(({ target }) => !target.topics)) {
    findings.push([
      `AwsSolutions-IAM5[Resource::${clusterResourceArn(cluster, 'topic', '*')}]`,
      "DescribeTargetTopics: a target without topics discovers them from its group's commits, so every topic of this cluster (and only this one)",
    ]);
  }
  acknowledgeFindings(fn.role, findings);
}
