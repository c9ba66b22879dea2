/**
 * A controller Lambda: the handler bundled by the local esbuild (no Docker), Node.js 22 on arm64,
 * with its environment from the deployment configuration. The stack builds two from the same code:
 * the scheduled controller, one instance at a time, and the read-only dry-run function for hand-runs.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { BUNDLE_OPTIONS } from '../../tools/build/bundle-options.js';
import type { ControllerNetwork } from './controller-network.js';
import { acknowledgeFindings } from './nag-findings.js';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Lambda's CPU grows with memory; 512 MB keeps TLS/SASL handshakes and JSON work quick at small cost. */
const CONTROLLER_MEMORY_MB = 512;

export interface ControllerFunctionProps {
  description: string;
  environment: Record<string, string>;
  network: ControllerNetwork;
  timeoutSeconds: number;
  /** Instances at a time; none: the account's unreserved pool. */
  reservedConcurrency?: number;
}

export class ControllerFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: LogGroup;

  constructor(
    scope: Construct,
    id: string,
    { description, environment, network, timeoutSeconds, reservedConcurrency }: ControllerFunctionProps,
  ) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_MONTH });
    // A role of its own, without AWS-managed policies: log writes to this function's log group only,
    // and the network interface calls Lambda needs to place it in the VPC.
    const role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com'), description });
    role.addToPolicy(
      new PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        // The log group's ARN ends in ":*": its log streams.
        resources: [this.logGroup.logGroupArn],
      }),
    );
    role.addToPolicy(
      new PolicyStatement({
        sid: 'PlaceInVpc',
        actions: [
          'ec2:CreateNetworkInterface',
          'ec2:DescribeNetworkInterfaces',
          'ec2:DescribeSubnets',
          'ec2:DeleteNetworkInterface',
          'ec2:AssignPrivateIpAddresses',
          'ec2:UnassignPrivateIpAddresses',
        ],
        // Lambda's documented requirement: DescribeNetworkInterfaces works only on "*", and the
        // interfaces Lambda creates and deletes have IDs nobody knows in advance.
        resources: ['*'],
      }),
    );
    acknowledgeFindings(role, [
      ['AwsSolutions-IAM5[Resource::*]', 'PlaceInVpc: the network interface calls Lambda documents as needing "*"'],
    ]);
    this.function = new NodejsFunction(this, 'Function', {
      role,
      description,
      entry: join(REPO_ROOT, 'handlers', 'controller.ts'),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: CONTROLLER_MEMORY_MB,
      timeout: Duration.seconds(timeoutSeconds),
      ...(reservedConcurrency === undefined ? {} : { reservedConcurrentExecutions: reservedConcurrency }),
      environment,
      // Versions published per deploy (controller-alias.ts) outlive the next one: a rollback points at them.
      currentVersionOptions: { removalPolicy: RemovalPolicy.RETAIN },
      logGroup: this.logGroup,
      vpc: network.vpc,
      vpcSubnets: network.subnets,
      securityGroups: [network.securityGroup],
      bundling: {
        forceDockerBundling: false,
        // The same bundle as `npm run build` (scripts/build.ts), the one measured by bench:coldstart.
        format: OutputFormat.ESM,
        target: String(BUNDLE_OPTIONS.target),
        minify: BUNDLE_OPTIONS.minify,
        sourceMap: Boolean(BUNDLE_OPTIONS.sourcemap),
        mainFields: BUNDLE_OPTIONS.mainFields,
        banner: BUNDLE_OPTIONS.banner?.js,
        esbuildArgs: {
          '--legal-comments': BUNDLE_OPTIONS.legalComments ?? 'eof',
          ...Object.fromEntries(Object.entries(BUNDLE_OPTIONS.alias ?? {}).map(([name, path]) => [`--alias:${name}`, path])),
        },
        // The SDK versions the controller was tested with, not whatever the runtime ships.
        bundleAwsSDK: true,
      },
    });
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 is the runtime the controller is built, bundled and tested for (the node@22 development dependency runs every npm script)',
    });
  }
}
