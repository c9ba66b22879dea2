/**
 * The README is the user's front door and docs/ holds the rest: their reference tables are
 * generated from the code, their examples run, and their links lead somewhere. A change to a policy
 * field, a reason code, a failure mode or the example's behaviour fails here until the docs say the same.
 */

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { parseControllerConfig } from '../../src/config/controller-config.js';
import { parseInvocation } from '../../src/tick/invocation.js';
import {
  advancedPolicyTable,
  controllerTable,
  failureModesTable,
  kafkaTable,
  payloadTable,
  policyTable,
  reasonTable,
  targetTable,
  tickBudgetTable,
} from '../../tools/docs/readme-tables.js';

const root = join(import.meta.dirname, '..', '..');
const pages = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
/** Every page, one after the other: a table or an example may live on any of them. */
const readme = pages.map((page) => readFileSync(join(root, page), 'utf8')).join('\n');
const codeBlocks = (language: string) =>
  [...readme.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => m[1] as string);

/** Runs a docs example as a library user would (`kafka-lag-scaler` is the package root) and returns what it names. */
async function runExample(example: string | undefined, exported: string): Promise<Record<string, any>> {
  expect(example).toBeDefined();
  const dir = mkdtempSync(join(tmpdir(), 'readme-example-'));
  try {
    const outfile = join(dir, 'example.mjs');
    await build({
      stdin: { contents: `${example}\nexport { ${exported} };`, loader: 'ts', resolveDir: root },
      alias: { 'kafka-lag-scaler': './src/index.ts' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile,
      logLevel: 'silent',
    });
    return await import(pathToFileURL(outfile).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the README and the docs', () => {
  it('stay short at the front door: the README is at most about 150 lines', () => {
    expect(readFileSync(join(root, 'README.md'), 'utf8').split('\n').length).toBeLessThanOrEqual(160);
  });

  it('link only to files that exist and to headings that exist', () => {
    const broken: string[] = [];
    for (const page of pages) {
      const text = readFileSync(join(root, page), 'utf8');
      for (const [, target] of text.matchAll(/\]\((?!https?:|mailto:)([^)\s]+)\)/g)) {
        const [file, anchor] = (target as string).split('#') as [string, string | undefined];
        const path = file === '' ? page : join(dirname(page), file);
        if (!existsSync(join(root, path))) broken.push(`${page}: ${target}`);
        else if (anchor && path.endsWith('.md') && !headingsOf(path).has(anchor)) broken.push(`${page}: ${target} (no such heading)`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('lists every policy setting and reason code as the code defines them', () => {
    expect(readme).toContain(policyTable());
    expect(readme).toContain(advancedPolicyTable());
    expect(readme).toContain(reasonTable());
  });

  it("lists a target's fields and a hand-run payload's as their declarations say", () => {
    expect(readme).toContain(targetTable());
    expect(readme).toContain(payloadTable());
  });

  it('lists every controller and Kafka setting as its declaration says', () => {
    expect(readme).toContain(controllerTable());
    expect(readme).toContain(kafkaTable());
  });

  it("lists every failure mode of the fault matrix, and the tick's time budget, as the code defines them", () => {
    expect(readme).toContain(failureModesTable());
    expect(readme).toContain(tickBudgetTable());
  });

  it('shows a decide example that gives what it says', async () => {
    const example = codeBlocks('ts').find((block) => block.includes('decide('));
    const { decision } = await runExample(example, 'decision');
    expect(decision).toMatchObject({ desired: 12, reason: 'scale-up', figures: { timeLagSeconds: 36 } });
    const explained = /decision\.explanation: "([\s\S]*?)"/.exec(example ?? '')?.[1]?.replace(/\n\/\/\s+/g, ' ');
    expect(decision.explanation).toBe(explained);
  });

  it('shows the control loop replaying traffic, and the count it says it ends at', async () => {
    const example = codeBlocks('ts').find((block) => block.includes('createControlLoop('));
    const { tasks } = await runExample(example, 'tasks');
    expect(tasks).toBe(Number(/\/\/ tasks: (\d+)/.exec(example ?? '')?.[1]));
  });

  it('shows a SCALER_TARGETS example the controller accepts', () => {
    const targets = codeBlocks('json').find((block) => block.includes('"group"'));
    const result = parseControllerConfig({ KAFKA_BROKERS: 'b-1:9092', KAFKA_AUTH_MODE: 'none', SCALER_TARGETS: targets?.trim() });
    expect(result.ok ? result.config.targets.map((t) => t.name) : result.problems).toEqual(['loans']);
  });

  it('shows dry-run payloads the handler accepts', () => {
    const payloads = [...readme.matchAll(/--payload '([^']+)'/g)].map((m) => JSON.parse(m[1] as string));
    expect(payloads.length).toBeGreaterThanOrEqual(2);
    for (const payload of payloads)
      expect(parseInvocation(payload)).toMatchObject({
        ok: true,
        invocation: { kind: 'manual', dryRun: true, targets: [expect.any(String)] },
      });
  });
});

/** GitHub's anchors for a page's headings. */
function headingsOf(page: string): Set<string> {
  const text = readFileSync(join(root, page), 'utf8');
  return new Set(
    [...text.matchAll(/^#{1,6} (.+)$/gm)].map(([, heading]) =>
      (heading as string)
        .trim()
        .toLowerCase()
        .replace(/[^\w\- ]/g, '')
        .replaceAll(' ', '-'),
    ),
  );
}
