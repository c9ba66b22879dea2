/**
 * How every bundle of the controller is built (esbuild): ESM for Node.js 22, minified, with source
 * maps, the AWS SDK included. One module on the floor that `scripts/build.ts`, the demo's bundle
 * and the CDK app's function all build from, so they ship the same code the same way.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildOptions } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

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
