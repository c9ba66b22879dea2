/** The CDK app's entry (infra/cdk.json): `npx cdk synth` / `npx cdk deploy` in infra/. */
import { buildApp } from '../lib/build-app.js';
import { DeploymentConfigError } from '../lib/config/load-config.js';

try {
  buildApp().synth();
} catch (error) {
  if (!(error instanceof DeploymentConfigError)) throw error;
  // The problems are the message; a stack trace would only bury them.
  console.error(error.message);
  process.exitCode = 1;
}
