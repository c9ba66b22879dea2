/** Shared by the infra tests: the example configuration, and synthesizing a stack from a configuration. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Annotations, Template } from 'aws-cdk-lib/assertions';
import { type Deployment, parseDeploymentConfig } from '../../infra/lib/config/deployment-config.js';
import { KafkaLagScalerStack } from '../../infra/lib/kafka-lag-scaler-stack.js';

export const INFRA_DIR = join(import.meta.dirname, '..', '..', 'infra');

/** A fresh copy of infra/config.example.json, to change per test. */
export function exampleConfig(): Record<string, any> {
  return JSON.parse(readFileSync(join(INFRA_DIR, 'config.example.json'), 'utf8'));
}

export function deploymentOf(config: unknown): Deployment {
  const result = parseDeploymentConfig(config);
  if (!result.ok) throw new Error(`unexpected config problems:\n${result.problems.join('\n')}`);
  return result.deployment;
}

/** The feature flags of infra/cdk.json, so tests see the template `cdk synth` produces. */
const CDK_CONTEXT = JSON.parse(readFileSync(join(INFRA_DIR, 'cdk.json'), 'utf8')).context as Record<string, unknown>;

/** The stack's template, without bundling the Lambda (tested once, in synth.test.ts). */
export function synthesize(config: unknown): Template {
  return synthesizeWithAnnotations(config).template;
}

/** The template and what synth warned about. */
export function synthesizeWithAnnotations(config: unknown): { template: Template; annotations: Annotations } {
  const app = new App({ context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
  const deployment = deploymentOf(config);
  const stack = new KafkaLagScalerStack(app, deployment.stackName, { deployment });
  return { template: Template.fromStack(stack), annotations: Annotations.fromStack(stack) };
}
