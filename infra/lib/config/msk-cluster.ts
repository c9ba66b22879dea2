/**
 * The MSK cluster the controller reads, taken apart from its ARN. The ARN carries everything the
 * stack needs to know about where it deploys (partition, region, account) and what the
 * `kafka-cluster:*` resource ARNs and the `AWS/Kafka` metric dimensions are built from, so the
 * configuration names the cluster once.
 */
export interface MskCluster {
  arn: string;
  partition: string;
  region: string;
  account: string;
  /** The `Cluster Name` dimension of MSK's CloudWatch metrics. */
  name: string;
  uuid: string;
}

const CLUSTER_ARN = /^arn:(aws[\w-]*):kafka:([\w-]+):(\d{12}):cluster\/([^/]+)\/([\w-]+)$/;

export function parseMskClusterArn(arn: string): MskCluster | undefined {
  const match = CLUSTER_ARN.exec(arn);
  if (!match) return undefined;
  const [, partition, region, account, name, uuid] = match as unknown as [string, string, string, string, string, string];
  return { arn, partition, region, account, name, uuid };
}

/** `kafka-cluster:*` resources live beside the cluster: `…:topic/NAME/UUID/TOPIC`, `…:group/NAME/UUID/GROUP`. */
export function clusterResourceArn(cluster: MskCluster, kind: 'topic' | 'group', resource: string): string {
  return `arn:${cluster.partition}:kafka:${cluster.region}:${cluster.account}:${kind}/${cluster.name}/${cluster.uuid}/${resource}`;
}
