/**
 * `npx cdk synth` as CI runs it: offline, without AWS credentials, the Lambda bundled by the local
 * esbuild (no Docker). A bad configuration fails synth with its problems and nothing else.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exampleConfig, INFRA_DIR } from './support.js';

const workDir = mkdtempSync(join(tmpdir(), 'kafka-lag-scaler-synth-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** No AWS credentials or profile reach the CLI: synth must not need an account. */
function offlineEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
  return { ...env, CDK_DISABLE_CLI_TELEMETRY: 'true' };
}

function cdkSynth(configFile: string, outDir: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['cdk', 'synth', '--quiet', '--no-notices', '-c', `config=${configFile}`, '-o', outDir], {
      cwd: INFRA_DIR,
      env: offlineEnv(),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.concurrent('npx cdk synth', () => {
  it('synthesizes the example configuration offline and bundles the handler with the local esbuild', async () => {
    const outDir = join(workDir, 'ok.out');
    const { code, stderr } = await cdkSynth('config.example.json', outDir);
    expect(code, stderr).toBe(0);

    const template = JSON.parse(readFileSync(join(outDir, 'KafkaLagScaler.template.json'), 'utf8'));
    const fn = Object.values(template.Resources as Record<string, { Type: string; Properties: any }>).find(
      (r) => r.Type === 'AWS::Lambda::Function',
    );
    expect(fn?.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], Handler: 'index.handler' });

    const asset = readdirSync(outDir).find((entry) => entry.startsWith('asset.') && existsSync(join(outDir, entry, 'index.mjs')));
    expect(asset, 'a bundled index.mjs').toBeDefined();
    const bundle = join(outDir, asset!, 'index.mjs');
    expect(statSync(bundle).size).toBeGreaterThan(100_000);
    // The bundle loads as an ES module in this Node and exports the handler.
    const module = await import(bundle);
    expect(typeof module.handler).toBe('function');
  }, 90_000);

  it('fails on a bad configuration with every problem named, and no stack trace', async () => {
    const config = exampleConfig();
    config.network.subnetIds = [];
    config.targets[0].maxTasks = 0;
    const configFile = join(workDir, 'bad.json');
    writeFileSync(configFile, JSON.stringify(config));

    const { code, stderr } = await cdkSynth(configFile, join(workDir, 'bad.out'));
    expect(code).not.toBe(0);
    expect(stderr).toContain(`${configFile} has 2 problems:`);
    expect(stderr).toContain('  - network.subnetIds: must name at least one subnet');
    expect(stderr).toMatch(/ {2}- targets\[0\] \(orders\)\.maxTasks: /);
    expect(stderr).not.toMatch(/^\s+at /m);
  }, 90_000);
});
