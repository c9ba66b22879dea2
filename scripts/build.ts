/**
 * Bundles each Lambda handler, the CLI and the package root with esbuild: ESM for Node.js 22, minified, with source
 * maps, and with the AWS SDK included (the version pinned in package-lock.json, not whatever the
 * Lambda runtime happens to ship). `--metafile` writes what went into each bundle.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { BUNDLE_OPTIONS } from '../tools/build/bundle-options.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Entry point → output file, relative to the repository root. */
export const BUNDLES = {
  'handlers/controller.ts': 'dist/handlers/controller.mjs',
  'src/entry/cli.ts': 'dist/cli.js',
  // The package root for library users: `decide` and its types (declarations: tsconfig.build.json).
  'src/index.ts': 'dist/index.js',
} as const;

export async function buildAll(options: { metafile?: boolean } = {}): Promise<Record<string, number>> {
  const sizes: Record<string, number> = {};
  for (const [entry, outfile] of Object.entries(BUNDLES)) {
    const result = await build({ ...BUNDLE_OPTIONS, entryPoints: [join(root, entry)], outfile: join(root, outfile), metafile: true });
    const output = result.metafile.outputs[Object.keys(result.metafile.outputs).find((o) => o.endsWith(outfile)) ?? ''];
    sizes[outfile] = output?.bytes ?? 0;
    if (options.metafile) {
      mkdirSync(dirname(join(root, outfile)), { recursive: true });
      writeFileSync(join(root, `${outfile}.meta.json`), JSON.stringify(result.metafile));
    }
  }
  return sizes;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = await buildAll({ metafile: process.argv.includes('--metafile') });
  for (const [file, bytes] of Object.entries(sizes)) console.log(`${file}  ${(bytes / 1024).toFixed(0)} KiB`);
}
