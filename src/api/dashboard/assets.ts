import { createHash } from 'node:crypto';

/**
 * The dashboard's static files (client scripts, CSS, uPlot), held in memory and served under a
 * content-hashed name (`/assets/overview.3fa2c81b9d.js`) with a year-long immutable cache. The runtime
 * supplies them (src/api/dashboard/node-assets.ts reads them from disk once at start), so this module
 * touches no file system and bundles into the Cloudflare worker unchanged.
 */
export interface DashboardAsset {
  /** The logical name pages refer to (`overview.js`, `dashboard.css`, `uPlot.iife.min.js`). */
  name: string;
  body: string;
  type: string;
  /** First 10 hex digits of the body's sha256. */
  hash: string;
  /** `/assets/<stem>.<hash>.<ext>` */
  url: string;
}

export interface DashboardAssets {
  /** The asset with this logical name; throws when missing (a page referring to it is a bug). */
  get(name: string): DashboardAsset;
  /** The asset served at this hashed URL path segment, or undefined. */
  byFile(file: string): DashboardAsset | undefined;
  list(): DashboardAsset[];
}

const TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
};

/** Builds the asset table from logical name -> file content. */
export function assetsFromFiles(files: Record<string, string>): DashboardAssets {
  const byName = new Map<string, DashboardAsset>();
  const byFile = new Map<string, DashboardAsset>();
  for (const [name, body] of Object.entries(files)) {
    const dot = name.lastIndexOf('.');
    const stem = dot > 0 ? name.slice(0, dot) : name;
    const ext = dot > 0 ? name.slice(dot + 1) : '';
    const hash = createHash('sha256').update(body).digest('hex').slice(0, 10);
    const file = `${stem}.${hash}${ext ? `.${ext}` : ''}`;
    const asset = {
      name,
      body,
      type: TYPES[ext] ?? 'application/octet-stream',
      hash,
      url: `/assets/${file}`,
    };
    byName.set(name, asset);
    byFile.set(file, asset);
  }
  return {
    get(name) {
      const a = byName.get(name);
      if (!a) throw new Error(`Dashboard asset ${name} is not loaded`);
      return a;
    },
    byFile: (file) => byFile.get(file),
    list: () => [...byName.values()],
  };
}
