/**
 * Reads NAB's realTweets series, windows and reference detector outputs from ../shared at run time
 * (never copied into the project: the data is AGPL-3.0 and only used for benchmarking).
 */

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const NAB_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../shared/benchmarks/nab',
);

export function nabAvailable(): boolean {
  return existsSync(path.join(NAB_DIR, 'realTweets_windows.json'));
}

/** `YYYY-MM-DD HH:MM:SS[.ffffff]` in UTC to epoch ms. */
export function parseNabTime(s: string): number {
  const ms = Date.parse(`${s.trim().replace(' ', 'T').slice(0, 19)}Z`);
  if (Number.isNaN(ms)) throw new Error(`bad NAB timestamp: ${s}`);
  return ms;
}

export interface NabSeries {
  /** File name, e.g. `Twitter_volume_AAPL.csv`. */
  file: string;
  timestamps: number[];
  /** Raw timestamp strings, written back unchanged in result CSVs. */
  stamps: string[];
  values: number[];
  windows: Array<[number, number]>;
}

function readCsv(file: string): { stamps: string[]; cols: number[] } {
  const lines = readFileSync(file, 'utf8').trim().split('\n').slice(1);
  const stamps: string[] = [];
  const cols: number[] = [];
  for (const line of lines) {
    const comma = line.indexOf(',');
    stamps.push(line.slice(0, comma));
    cols.push(Number(line.slice(comma + 1)));
  }
  return { stamps, cols };
}

export function loadRealTweets(): NabSeries[] {
  const windows = JSON.parse(readFileSync(path.join(NAB_DIR, 'realTweets_windows.json'), 'utf8')) as Record<
    string,
    Array<[string, string]>
  >;
  const dir = path.join(NAB_DIR, 'data/realTweets');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.csv'))
    .sort()
    .map((file) => {
      const { stamps, cols } = readCsv(path.join(dir, file));
      return {
        file,
        stamps,
        timestamps: stamps.map(parseNabTime),
        values: cols,
        windows: (windows[`realTweets/${file}`] ?? []).map(
          ([a, b]) => [parseNabTime(a), parseNabTime(b)] as [number, number],
        ),
      };
    });
}

/** A published detector's anomaly scores for one series (reference/<detector>/<file>). */
export function loadReference(detector: string, file: string): number[] {
  return readCsv(path.join(NAB_DIR, 'reference', detector, file)).cols;
}
