/**
 * Where the controller runs: the cluster's VPC and subnets, with a security group that lets it out
 * to exactly two places — the brokers on the auth mode's port, and the AWS APIs on 443 (through
 * the subnets' NAT gateway, or through interface endpoints the stack creates when asked).
 */
import { Annotations, Fn } from 'aws-cdk-lib';
import {
  InterfaceVpcEndpoint,
  InterfaceVpcEndpointAwsService,
  type ISecurityGroup,
  type IVpc,
  Peer,
  Port,
  SecurityGroup,
  Subnet,
  type SubnetSelection,
  Vpc,
} from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import type { AuthMode } from '../../src/config/kafka-settings.js';
import type { NetworkSettings } from './config/deployment-config.js';

/** MSK's listener per client authentication (private connectivity). */
const BROKER_PORT: Readonly<Record<AuthMode, number>> = { iam: 9098, scram: 9096, tls: 9094, none: 9092 };

export interface ControllerNetworkProps {
  settings: NetworkSettings;
  auth: AuthMode;
}

export class ControllerNetwork extends Construct {
  readonly vpc: IVpc;
  readonly subnets: SubnetSelection;
  readonly securityGroup: SecurityGroup;

  constructor(scope: Construct, id: string, { settings, auth }: ControllerNetworkProps) {
    super(scope, id);
    // Attributes given, never looked up: synth runs offline. Everything placed in the VPC gets the
    // configured subnets explicitly, so the VPC's own subnet and zone lists are never read.
    this.vpc = Vpc.fromVpcAttributes(this, 'Vpc', { vpcId: settings.vpcId, availabilityZones: Fn.getAzs() });
    this.subnets = { subnets: settings.subnetIds.map((subnetId) => Subnet.fromSubnetId(this, subnetId, subnetId)) };
    // Both warnings are about the lists and route tables the stack never reads.
    Annotations.of(this).acknowledgeWarning(
      '@aws-cdk/aws-ec2:vpcAttributeIsListTokenavailabilityZones',
      'subnets are always given explicitly',
    );
    Annotations.of(this).acknowledgeWarning('@aws-cdk/aws-ec2:noSubnetRouteTableId', 'route tables are not managed here');

    this.securityGroup = new SecurityGroup(this, 'ControllerSecurityGroup', {
      vpc: this.vpc,
      description: 'kafka-lag-scaler controller: out to the MSK brokers and the AWS APIs only',
      allowAllOutbound: false,
    });
    const brokers = SecurityGroup.fromSecurityGroupId(this, 'Brokers', settings.brokerSecurityGroupId, { allowAllOutbound: false });
    // Adds the egress rule here and an ingress rule on the brokers' group.
    this.securityGroup.connections.allowTo(brokers, Port.tcp(BROKER_PORT[auth]), `Kafka (${auth}) to the MSK brokers`);

    if (settings.createVpcEndpoints) this.addEndpoints(auth === 'scram');
    else {
      this.securityGroup.addEgressRule(Peer.anyIpv4(), Port.tcp(443), "AWS APIs through the subnets' NAT gateway");
      Annotations.of(this).addWarningV2(
        'kafka-lag-scaler:egressToAnyAddress',
        'network.createVpcEndpoints is false: the controller may reach any address on 443 (AWS has no address list for its public APIs). Set it to true to confine egress to the brokers and the VPC endpoints.',
      );
    }
  }

  /** ECS, MSK (GetBootstrapBrokers), CloudWatch, SSM (the control parameter), SNS (scale notifications), and Secrets Manager for SCRAM credentials. */
  private addEndpoints(scram: boolean): void {
    const endpointGroup: ISecurityGroup = new SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc: this.vpc,
      description: 'kafka-lag-scaler: HTTPS from the controller to the AWS API endpoints',
      allowAllOutbound: false,
    });
    this.securityGroup.connections.allowTo(endpointGroup, Port.tcp(443), 'AWS APIs through the VPC endpoints');
    const services: Record<string, InterfaceVpcEndpointAwsService> = {
      Ecs: InterfaceVpcEndpointAwsService.ECS,
      Kafka: InterfaceVpcEndpointAwsService.KAFKA,
      CloudWatch: InterfaceVpcEndpointAwsService.CLOUDWATCH_MONITORING,
      Ssm: InterfaceVpcEndpointAwsService.SSM,
      Sns: InterfaceVpcEndpointAwsService.SNS,
      ...(scram ? { SecretsManager: InterfaceVpcEndpointAwsService.SECRETS_MANAGER } : {}),
    };
    for (const [name, service] of Object.entries(services)) {
      new InterfaceVpcEndpoint(this, `${name}Endpoint`, {
        vpc: this.vpc,
        service,
        subnets: this.subnets,
        securityGroups: [endpointGroup],
        // Only the controller's group is let in (the imported VPC's CIDR is not known offline).
        open: false,
        privateDnsEnabled: true,
      });
    }
  }
}
