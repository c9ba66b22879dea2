/**
 * `npm run local` as an operator uses it: start it, export what it prints, run a CLI dry run against
 * it, stop it with Ctrl-C; afterwards nothing it started is left listening.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

let local: ChildProcess | undefined;
afterAll(() => {
  if (local?.exitCode === null) local.kill('SIGKILL');
});

/** Starts scripts/local.ts and resolves with the environment it printed, once it says how to stop it. */
function startLocal(): Promise<{ child: ChildProcess; env: Record<string, string> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/local.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
  local = child;
  const env: Record<string, string> = {};
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`npm run local exited early (${code})`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const exported = /^export (\w+)='(.*)'$/.exec(line);
      if (exported) env[exported[1]!] = exported[2]!.replaceAll(`'\\''`, "'");
      if (line === 'Ctrl-C stops it.') resolve({ child, env });
    });
  });
}

function listening(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url.includes('://') ? url : `tcp://${url}`);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('npm run local', () => {
  it('starts Kafka and the stand-ins, answers a CLI dry run, and stops cleanly on Ctrl-C', async () => {
    const { child, env } = await startLocal();
    expect(Object.keys(env)).toEqual(
      expect.arrayContaining([
        'KAFKA_BROKERS',
        'AWS_ENDPOINT_URL_ECS',
        'AWS_ENDPOINT_URL_CLOUDWATCH',
        'AWS_REGION',
        'AWS_ACCESS_KEY_ID',
        'AWS_SECRET_ACCESS_KEY',
        'SCALER_TARGETS',
      ]),
    );

    const { code, stdout, stderr } = await runCli(['decide', '--dry-run', '--json', '--sample-seconds', '2'], env);
    expect(stderr).not.toMatch(/"level":"(WARN|ERROR)"/);
    expect(code).toBe(0);
    const decision = JSON.parse(stdout).decisions[0];
    expect(decision).toMatchObject({ target: 'orders', current: 2, dryRun: true, changed: false, history: { source: 'sampled' } });
    expect(decision.lag.total).toBeGreaterThan(0);
    // The group really moves: produced and committed alike, about 30 msg/s each.
    expect(decision.figures.produceRate).toBeGreaterThan(10);
    expect(decision.figures.consumeRate).toBeGreaterThan(10);

    const endpoints = [...env.KAFKA_BROKERS!.split(','), env.AWS_ENDPOINT_URL_ECS!, env.AWS_ENDPOINT_URL_CLOUDWATCH!];
    const exited = new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    for (const endpoint of endpoints) expect(await listening(endpoint), endpoint).toBe(false);
  });
});
