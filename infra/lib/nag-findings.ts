/**
 * cdk-nag (AwsSolutions) findings the stack keeps on purpose, each acknowledged next to the
 * resource it is about, with the reason: in cdk-nag v3 every finding has its own ID
 * (`AwsSolutions-IAM5[Resource::*]`), so nothing is waved through by rule.
 */
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export function acknowledgeFindings(scope: IConstruct, findings: ReadonlyArray<readonly [id: string, reason: string]>): void {
  for (const [id, reason] of findings) Validations.of(scope).acknowledge({ id, reason });
}
