/**
 * The demo's child processes, bundled once per run with the Lambda's own esbuild settings
 * (scripts/build.ts): the controller process carries the handler exactly as it is deployed, and a
 * worker starts in about 100 ms instead of compiling TypeScript on every scale-up.
 */

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { BUNDLE_OPTIONS } from '../build/bundle-options.js';

export interface DemoBundles {
  worker: string;
  controller: string;
}

const here = dirname(fileURLToPath(import.meta.url));

export async function bundleDemoProcesses(outDir: string): Promise<DemoBundles> {
  await build({
    ...BUNDLE_OPTIONS,
    // Readable stack traces in the run's logs matter more here than size.
    minify: false,
    sourcemap: false,
    entryPoints: { worker: join(here, 'worker.ts'), controller: join(here, 'controller-process.ts') },
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    logLevel: 'silent',
  });
  return { worker: join(outDir, 'worker.mjs'), controller: join(outDir, 'controller.mjs') };
}
