/**
 * Bundles each Lambda handler, the CLI and the package root with esbuild: ESM for Node.js 22, minified, with source
 * maps, and with the AWS SDK included (the version pinned in package-lock.json, not whatever the
 * Lambda runtime happens to ship). `--metafile` writes what went into each bundle.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Entry point → output file, relative to the repository root. */
export const BUNDLES = {
  'handlers/controller.ts': 'dist/handlers/controller.mjs',
  'src/entry/cli.ts': 'dist/cli.js',
  // The package root for library users: `decide` and its types (declarations: tsconfig.build.json).
  'src/index.ts': 'dist/index.js',
} as const;

/** node:http and friends, required rather than imported (see scripts/bundle-shims/http.cjs). */
const REQUIRED_BUILTINS = Object.fromEntries(
  ['http', 'https', 'http2'].map((name) => [`node:${name}`, join(root, 'scripts', 'bundle-shims', `${name}.cjs`)]),
);
/** Packages the dependencies import on paths the controller never takes (see each shim's comment). */
const UNUSED_PACKAGES = {
  '@aws-sdk/client-sts': join(root, 'scripts', 'bundle-shims', 'unused-sts.cjs'),
  bowser: join(root, 'scripts', 'bundle-shims', 'unused-bowser.cjs'),
};

export const BUNDLE_OPTIONS: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  minify: true,
  sourcemap: true,
  legalComments: 'none',
  // Prefer the packages' ES module builds: esbuild can drop the AWS SDK commands we never send.
  mainFields: ['module', 'main'],
  alias: { ...REQUIRED_BUILTINS, ...UNUSED_PACKAGES },
  // Some dependencies are CommonJS and call require() for Node built-ins.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
};

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
