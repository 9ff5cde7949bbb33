import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DashboardAssets, assetsFromFiles } from './assets.ts';

/**
 * Reads the dashboard's client files once, at start: everything in ./client (scripts and CSS) and
 * uPlot's browser build from node_modules. Node only; the worker supplies its assets another way or
 * leaves the dashboard out.
 */
export function readNodeAssets(): DashboardAssets {
  const dir = fileURLToPath(new URL('./client/', import.meta.url));
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    if (/\.(js|css|svg)$/.test(name) && !name.endsWith('.test.js')) {
      files[name] = readFileSync(join(dir, name), 'utf8');
    }
  }
  const require = createRequire(import.meta.url);
  const uplot = join(dirname(require.resolve('uplot/package.json')), 'dist');
  files['uPlot.iife.min.js'] = readFileSync(join(uplot, 'uPlot.iife.min.js'), 'utf8');
  files['uPlot.min.css'] = readFileSync(join(uplot, 'uPlot.min.css'), 'utf8');
  return assetsFromFiles(files);
}
