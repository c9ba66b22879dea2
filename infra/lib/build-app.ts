/**
 * The CDK app from its configuration file: infra/config.json, or the file given with
 * `-c config=PATH` (relative to infra/).
 */
import { resolve } from 'node:path';
import { App } from 'aws-cdk-lib';
import { loadDeploymentConfig } from './config/load-config.js';
import { KafkaLagScalerStack } from './kafka-lag-scaler-stack.js';

const INFRA_DIR = resolve(import.meta.dirname, '..');

/** A bad configuration throws a DeploymentConfigError listing every problem. */
export function buildApp(app = new App()): App {
  const configFile = resolve(INFRA_DIR, String(app.node.tryGetContext('config') ?? 'config.json'));
  const deployment = loadDeploymentConfig(configFile);
  new KafkaLagScalerStack(app, deployment.stackName, { deployment });
  return app;
}
