/**
 * The whole deployment: the controller Lambda in the cluster's VPC, its schedule and permissions,
 * and per target the alarms, the fallback and a dashboard row.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { Deployment } from './config/deployment-config.js';
import { ControllerAlarms } from './controller-alarms.js';
import { ControllerDashboard } from './controller-dashboard.js';
import { ControllerFunction } from './controller-function.js';
import { ControllerNetwork } from './controller-network.js';
import { grantControllerPermissions } from './controller-permissions.js';
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
    const controller = new ControllerFunction(this, 'Controller', { environment: deployment.environment, network });
    grantControllerPermissions(controller.function, deployment);
    new ControllerSchedule(this, 'Tick', controller.function);

    const alarms = new ControllerAlarms(this, 'Alarms', deployment.alarms);
    alarms.addControllerFailing(controller.function);
    const targets = deployment.targets.map(({ target, fallback }) => {
      const metrics = new TargetMetrics(deployment.metricsNamespace, deployment.cluster, target);
      alarms.addTargetAlarms(metrics);
      if (fallback) {
        const scaling = new FallbackScaling(this, `${target.name}Fallback`, {
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
  }
}
