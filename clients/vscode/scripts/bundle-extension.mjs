// Bundles src/extension.ts and vscode-languageclient into out/extension.js, so the
// VSIX carries no node_modules. Pass --production for a minified build without source maps.
import { copyFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');

await build({
  entryPoints: [join(root, 'src', 'extension.ts')],
  outfile: join(root, 'out', 'extension.js'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  // Node 18 is the oldest runtime of a VS Code that engines.vscode admits (1.82).
  target: 'node18',
  external: ['vscode'],
  minify: production,
  sourcemap: !production,
  logLevel: 'info',
});

// vsce wants the licence beside package.json; the repository keeps a single copy at its root.
await copyFile(join(root, '..', '..', 'LICENSE'), join(root, 'LICENSE'));
