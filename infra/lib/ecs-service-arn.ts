/**
 * How a target's ECS service is named to IAM and to Application Auto Scaling. A target's cluster
 * may be given as a name or as a cluster ARN (the controller passes it to ECS as given).
 */
import type { Target } from '../../src/config/targets.js';
import type { MskCluster } from './config/msk-cluster.js';

function clusterName(cluster: string): string {
  return cluster.startsWith('arn:') ? cluster.slice(cluster.lastIndexOf('/') + 1) : cluster;
}

/** `arn:aws:ecs:REGION:ACCOUNT:service/CLUSTER/SERVICE`, in the region and account of the deployment. */
export function ecsServiceArn(target: Target, where: Pick<MskCluster, 'partition' | 'region' | 'account'>): string {
  return `arn:${where.partition}:ecs:${where.region}:${where.account}:service/${clusterName(target.cluster)}/${target.service}`;
}

/** Application Auto Scaling's resource ID of an ECS service: `service/CLUSTER/SERVICE`. */
export function ecsScalingResourceId(target: Target): string {
  return `service/${clusterName(target.cluster)}/${target.service}`;
}
