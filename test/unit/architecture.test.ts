/**
 * The dependency rules of docs/architecture.md, checked on every import in the repository: the
 * product (`src/`) never depends on its tools, each layer depends only downward, each adapter
 * knows one service, and only the wiring puts adapters together.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every relative import of a file, as repository paths (with the `.ts` the `.js` specifier stands for). */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) =>
    normalize(join(dirname(file), m[1] as string)).replace(/\.js$/, '.ts'),
  );
}

/** The layer a product file belongs to: its folder under src/ (adapters by service). */
function layerOf(path: string): string {
  const parts = relative('src', path).split('/');
  if (parts[0] === 'adapters') return parts.length > 2 ? `adapters/${parts[1]}` : 'adapters';
  return parts.length > 1 ? (parts[0] as string) : 'root';
}

/** What each layer may import (besides itself). */
const MAY_IMPORT: Record<string, string[]> = {
  util: [],
  decision: [],
  // The reader produces the decision's input (LagTotals), defined with the decision.
  lag: ['decision', 'util'],
  // The control loop around the decision: its rules between reads, no I/O.
  control: ['decision'],
  // What a tick returns and logs, per target.
  report: ['control', 'decision', 'lag'],
  // Setting the count, and saying what ECS has.
  act: ['report', 'control', 'config', 'util'],
  config: ['control', 'decision', 'lag', 'util'],
  tick: ['act', 'report', 'control', 'decision', 'lag', 'config', 'util'],
  adapters: ['util'],
  'adapters/kafka': ['adapters', 'lag', 'config', 'util'],
  // An adapter implements its port, whose types the tick owns.
  'adapters/ecs': ['adapters', 'tick', 'util'],
  'adapters/cloudwatch': ['adapters', 'report', 'tick', 'decision', 'lag', 'util'],
  // Notifies the tick's scale actions.
  'adapters/sns': ['adapters', 'report', 'util'],
  // Fetches the control parameter's text only; the configuration judges it.
  'adapters/ssm': ['adapters'],
  wiring: [
    'adapters',
    'adapters/kafka',
    'adapters/ecs',
    'adapters/cloudwatch',
    'adapters/sns',
    'adapters/ssm',
    'tick',
    'act',
    'report',
    'control',
    'decision',
    'lag',
    'config',
    'util',
  ],
  entry: ['wiring', 'adapters/cloudwatch', 'adapters/kafka', 'tick', 'report', 'decision', 'lag', 'config', 'util'],
  root: ['control', 'decision'],
};

const product = sourceFiles('src');

describe('the dependency rules', () => {
  it('the product never imports its tools, tests or infrastructure', () => {
    const outside = product.flatMap((file) =>
      importsOf(file)
        .filter((target) => !target.startsWith('src/'))
        .map((target) => `${file} → ${target}`),
    );
    expect(outside).toEqual([]);
  });

  it('each layer imports only the layers below it', () => {
    const upward = product.flatMap((file) => {
      const layer = layerOf(file);
      const allowed = MAY_IMPORT[layer];
      if (!allowed) return [`${file}: no rule for layer ${layer}`];
      return importsOf(file)
        .filter((target) => target.startsWith('src/') && layerOf(target) !== layer && !allowed.includes(layerOf(target)))
        .map((target) => `${file} (${layer}) → ${target} (${layerOf(target)})`);
    });
    expect(upward).toEqual([]);
  });

  it('no module but the wiring imports two of the Kafka, ECS and CloudWatch adapters', () => {
    const adapters = ['adapters/kafka', 'adapters/ecs', 'adapters/cloudwatch'];
    const mixing = product
      .filter((file) => layerOf(file) !== 'wiring')
      .filter(
        (file) =>
          new Set(
            importsOf(file)
              .map(layerOf)
              .filter((l) => adapters.includes(l) && l !== layerOf(file)),
          ).size >= 2,
      );
    expect(mixing).toEqual([]);
  });

  it('tools use the product, never the reverse, and the package ships only the product', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { files: string[] };
    expect(pkg.files).not.toContain('tools');
    expect(sourceFiles('tools').length).toBeGreaterThan(0);
  });
});
