#!/usr/bin/env node
// The command line. In a checkout it runs the TypeScript sources through tsx; a packaged copy
// (without src/) runs the esbuild bundle in dist/ (npm run build).
import { existsSync } from 'node:fs';

const sources = new URL('../src/entry/cli.ts', import.meta.url);
const { main } = existsSync(sources)
  ? await (await import('tsx/esm/api')).tsImport(sources.href, import.meta.url)
  : await import(new URL('../dist/cli.js', import.meta.url).href);
const code = await main(process.argv.slice(2), process.env);
// Exit once stdout is flushed, without waiting on idle keep-alive sockets.
process.stdout.write('', () => process.exit(code));
