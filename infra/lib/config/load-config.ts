/**
 * Reads the deployment configuration file and validates it; a bad file stops synth with every
 * problem listed, each naming its field.
 */
import { readFileSync } from 'node:fs';
import { type Deployment, parseDeploymentConfig } from './deployment-config.js';

export class DeploymentConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file} has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'DeploymentConfigError';
  }
}

export function loadDeploymentConfig(file: string): Deployment {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new DeploymentConfigError(file, [
      `(file): cannot be read (${(error as Error).message}); copy infra/config.example.json to start`,
    ]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new DeploymentConfigError(file, [`(file): is not valid JSON (${(error as Error).message})`]);
  }
  const result = parseDeploymentConfig(raw);
  if (!result.ok) throw new DeploymentConfigError(file, result.problems);
  return result.deployment;
}
