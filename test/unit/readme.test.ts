/**
 * The README is the user's front door: its reference tables are generated from the code, and its
 * examples run. A change to a policy field, a reason code or the example's behaviour fails here
 * until the README says the same.
 */
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseControllerConfig } from '../../src/config/controller-config.js';
import { parseInvocation } from '../../src/tick/invocation.js';
import { failureModesTable, policyTable, reasonTable, tickBudgetTable } from '../../tools/docs/readme-tables.js';

const root = join(import.meta.dirname, '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const codeBlocks = (language: string) => [...readme.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1] as string);

describe('the README', () => {
  it('lists every policy setting and reason code as the code defines them', () => {
    expect(readme).toContain(policyTable());
    expect(readme).toContain(reasonTable());
  });

  it('lists every failure mode of the fault matrix, and the tick\'s time budget, as the code defines them', () => {
    expect(readme).toContain(failureModesTable());
    expect(readme).toContain(tickBudgetTable());
  });

  it('shows a decide example that gives what it says', async () => {
    const example = codeBlocks('ts').find((block) => block.includes('decide('));
    expect(example).toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'readme-example-'));
    try {
      const outfile = join(dir, 'example.mjs');
      await build({
        stdin: { contents: `${example}\nexport { decision };`, loader: 'ts', resolveDir: root },
        alias: { 'kafka-lag-scaler': './src/index.ts' },
        bundle: true, platform: 'node', format: 'esm', outfile, logLevel: 'silent',
      });
      const { decision } = await import(pathToFileURL(outfile).href);
      expect(decision).toMatchObject({ desired: 12, reason: 'scale-up', figures: { timeLagSeconds: 36 } });
      const explained = /decision\.explanation: "([\s\S]*?)"/.exec(example ?? '')?.[1]?.replace(/\n\/\/\s+/g, ' ');
      expect(decision.explanation).toBe(explained);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shows a SCALER_TARGETS example the controller accepts', () => {
    const targets = codeBlocks('json').find((block) => block.includes('"group"'));
    const result = parseControllerConfig({ KAFKA_BROKERS: 'b-1:9092', KAFKA_AUTH_MODE: 'none', SCALER_TARGETS: targets?.trim() });
    expect(result.ok ? result.config.targets.map((t) => t.name) : result.problems).toEqual(['loans']);
  });

  it('shows a dry-run payload the handler accepts', () => {
    const payload = /--payload '([^']+)'/.exec(readme)?.[1];
    expect(parseInvocation(JSON.parse(payload ?? 'null'))).toMatchObject({ ok: true, invocation: { kind: 'manual', dryRun: true, targets: ['loans'] } });
  });
});
