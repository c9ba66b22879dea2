/**
 * The whole deployment: the scheduled controller Lambda in the cluster's VPC (published as a version
 * behind the alias the schedule invokes), the read-only dry-run function for hand-runs, their
 * permissions, the control parameter, the topic for alarms and scale notifications, per target the
 * alarms, the fallback and a dashboard row, and the outputs an operator needs.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { CONTROLLER_TIMEOUT_SECONDS, controllerTimeoutSeconds } from './config/controller-environment.js';
import type { Deployment } from './config/deployment-config.js';
import { ControllerAlarms } from './controller-alarms.js';
import { liveAlias } from './controller-alias.js';
import { ControllerDashboard } from './controller-dashboard.js';
import { ControllerFunction } from './controller-function.js';
import { ControllerNetwork } from './controller-network.js';
import { grantControllerPermissions, grantDryRunPermissions } from './controller-permissions.js';
import { ControllerSchedule } from './controller-schedule.js';
import { FallbackScaling } from './fallback-scaling.js';
import { TargetMetrics } from './target-metrics.js';

export interface KafkaLagScalerStackProps extends StackProps {
  deployment: Deployment;
}

export class KafkaLagScalerStack extends Stack {
  constructor(scope: Construct, id: string, { deployment, ...props }: KafkaLagScalerStackProps) {
    super(scope, id, {
      // The cluster's account and region: the controller must sit in the cluster's VPC.
      env: { account: deployment.cluster.account, region: deployment.cluster.region },
      description: 'kafka-lag-scaler: sizes ECS services consuming MSK to their consumer lag',
      ...props,
    });

    const network = new ControllerNetwork(this, 'Network', { settings: deployment.network, auth: deployment.auth });
    const controller = new ControllerFunction(this, 'Controller', {
      description: `kafka-lag-scaler: sizes ECS services consuming Kafka to their consumer lag, a tick every ${deployment.tickSeconds} s`,
      environment: deployment.environment,
      network,
      timeoutSeconds: controllerTimeoutSeconds(deployment.tickSeconds),
      // One controller at a time: two would read the same lag and race each other's UpdateService.
      reservedConcurrency: 1,
    });
    grantControllerPermissions(controller.function, deployment);
    const live = liveAlias(controller.function);
    new ControllerSchedule(this, 'Tick', live);

    // Hand-run dry runs get their own function: the controller's one reserved instance, busy with the
    // tick loop, would throttle them. The same code, one tick an invocation, and nothing it may change.
    const dryRun = new ControllerFunction(this, 'DryRun', {
      description: 'kafka-lag-scaler: hand-run dry runs (read-only: decides, never acts, publishes or notifies)',
      environment: deployment.dryRunEnvironment,
      network,
      // A hand-run is one tick: the one-tick budget.
      timeoutSeconds: CONTROLLER_TIMEOUT_SECONDS,
    });
    grantDryRunPermissions(dryRun.function, deployment);

    // Read every tick: pause and pin without a deploy. A deploy leaves what operators wrote alone,
    // since CloudFormation only writes the value when this resource changes; a change here (even to
    // the description) writes `{}` back and resumes scaling: docs/operating.md warns operators.
    const control = new StringParameter(this, 'ControlParameter', {
      parameterName: deployment.controlParameterName,
      stringValue: '{}',
      description: 'kafka-lag-scaler control: {"paused": true} holds every target, {"pinnedTasks": {"<target>": n}} holds one at n',
    });

    const alarms = new ControllerAlarms(this, 'Alarms', { settings: deployment.alarms, stackName: deployment.stackName });
    alarms.addControllerFailing(controller.function);
    const targets = deployment.targets.map(({ target, fallback }) => {
      const metrics = new TargetMetrics(deployment.metricsNamespace, deployment.cluster, target);
      alarms.addTargetAlarms(metrics);
      if (fallback) {
        const scaling = new FallbackScaling(this, `${target.name}Fallback`, {
          alarmName: alarms.alarmName(`${target.name}Fallback`),
          metrics,
          settings: fallback,
          silentMinutes: deployment.alarms.silentMinutes,
          cluster: deployment.cluster,
        });
        alarms.notifyOn(scaling.alarm);
      }
      return metrics;
    });

    new ControllerDashboard(this, 'Dashboard', {
      dashboardName: deployment.stackName,
      controller: controller.function,
      logGroup: controller.logGroup,
      targets,
    });

    const outputs: Record<string, { value: string; description: string }> = {
      ControllerFunctionName: { value: controller.function.functionName, description: 'The scheduled controller' },
      ControllerAliasArn: {
        value: live.functionArn,
        description: 'The alias the schedule invokes; roll back with aws lambda update-alias',
      },
      DryRunFunctionName: { value: dryRun.function.functionName, description: 'Hand-run dry runs (read-only)' },
      DashboardUrl: {
        value: `https://${this.region}.console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards/dashboard/${deployment.stackName}`,
        description: 'The CloudWatch dashboard',
      },
      NotificationTopicArn: { value: alarms.topic.topicArn, description: 'Alarms and scale notifications' },
      ControlParameterName: { value: control.parameterName, description: 'Pause and pin: aws ssm put-parameter --overwrite' },
    };
    for (const [id, output] of Object.entries(outputs)) new CfnOutput(this, id, output);
  }
}
