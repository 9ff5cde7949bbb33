/**
 * trustwatch's volume detector as run on NAB: the same streaming CountStream as live detection, with
 * settings for 5-minute tweet counts. The score it hands NAB is relative (this bucket's surprise
 * against the 99.9th percentile of the past 14 days' surprises, 0.5 = as unusual as that), with
 * non-maximum suppression over a day so that one incident gives one onset.
 */

import { CountStream, type CountStreamOptions } from '../../src/detect/count-stream.ts';

export const NAB_OPTIONS: CountStreamOptions = {
  bucketSeconds: 300,
  scales: [1, 3, 12],
  windowStat: 'meanLog',
  poissonAdjust: false,
  hourHalfLifeDays: 3,
  refractory: 288,
  relativeDays: 14,
  relativeQuantile: 0.999,
};

/**
 * A few variants for the nested leave-one-series-out selection (each held-out series gets the
 * variant and threshold that score best on the other nine).
 */
export const NAB_VARIANTS: Array<{ name: string; options: CountStreamOptions }> = [
  { name: 'default', options: NAB_OPTIONS },
  { name: 'hour-profile 7d', options: { ...NAB_OPTIONS, hourHalfLifeDays: 7 } },
  { name: 'scales 1,6,24', options: { ...NAB_OPTIONS, scales: [1, 6, 24] } },
  { name: 'clip 1', options: { ...NAB_OPTIONS, clip: 1 } },
  { name: 'relative max', options: { ...NAB_OPTIONS, relativeQuantile: 1 } },
  { name: 'scales 1,3', options: { ...NAB_OPTIONS, scales: [1, 3] } },
];

/** Streams one series through the detector: one anomaly score per row, each from rows 0..i only. */
export function scoreStream(timestamps: number[], values: number[], options = NAB_OPTIONS): number[] {
  const stream = new CountStream(options);
  const out = new Array<number>(values.length);
  for (let i = 0; i < values.length; i++)
    out[i] = stream.push(timestamps[i] as number, values[i] as number).score;
  return out;
}
