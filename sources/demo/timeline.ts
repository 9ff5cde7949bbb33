/**
 * The demo's script: how many items each brand should get in each hour of each channel, and which
 * phase of the story that hour belongs to. Everything here is expected values; the generator turns
 * them into Poisson draws.
 */

export type DemoChannel = 'social' | 'reviews' | 'news';
export type DemoBrand = 'telvana' | 'brightwave';
export type DemoPhase = 'normal' | 'outage' | 'backlash' | 'quiet';

export const DEMO_CHANNELS: readonly DemoChannel[] = ['social', 'reviews', 'news'];
export const DEMO_BRANDS: readonly DemoBrand[] = ['telvana', 'brightwave'];

/**
 * When the story happens, in days/hours after the demo's `startAt` (day 0 starts at 00:00 UTC).
 * Tests and docs elsewhere read this rather than hard-coding the numbers.
 */
export const DEMO_EPISODE = {
  outageDay: 62,
  outageHourUtc: 9,
  backlashDays: 5,
  quietStartDay: 76,
  quietEndDay: 83,
  hashtag: '#telvanafail',
} as const;

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** The network is down this many hours (09:00 → 23:00 UTC); then the backlash phase begins. */
export const OUTAGE_HOURS = 14;
/** The brand's scheduled promo post goes out this long after the outage starts. */
export const PROMO_DELAY_MS = 2 * HOUR_MS + 17 * 60_000;

/** Hour index (since startAt) at which the outage starts. */
export const OUTAGE_START_HOUR = DEMO_EPISODE.outageDay * 24 + DEMO_EPISODE.outageHourUtc;
const BACKLASH_END_OFFSET = DEMO_EPISODE.backlashDays * 24;

/** Telvana keeps this share of its normal volume during the quiet days. */
export const QUIET_FACTOR = 0.35;

/**
 * Telvana is a fictional pan-European operator; "local time" for its customers is taken as UTC+1
 * all year (no DST) so the daily rhythm is simple to reason about in tests.
 */
export const LOCAL_UTC_OFFSET_HOURS = 1;

/** Mean items per day on an average day of the week, before episode effects. */
const DAILY_MEAN: Record<DemoChannel, Record<DemoBrand, number>> = {
  social: { telvana: 72, brightwave: 36 },
  reviews: { telvana: 11, brightwave: 6 },
  news: { telvana: 3, brightwave: 1.5 },
};

/** Monday..Sunday: people complain about their phone company at work more than at the weekend. */
const WEEKDAY_FACTOR = [1.1, 1.12, 1.1, 1.08, 1.02, 0.8, 0.78] as const;

/** Relative activity by local hour 0..23: quiet at night, busy 08–22, evening peak. */
const HOUR_PROFILE = [
  0.25, 0.15, 0.1, 0.08, 0.08, 0.15, 0.35, 0.7, 1.1, 1.3, 1.35, 1.35, 1.45, 1.4, 1.3, 1.25, 1.25, 1.3, 1.4,
  1.5, 1.5, 1.35, 1.05, 0.6,
] as const;
const PROFILE_TOTAL = HOUR_PROFILE.reduce((a, b) => a + b, 0);
const PROFILE_MAX = Math.max(...HOUR_PROFILE);
/** Share of a day's volume in an average busy hour (08–22): the unit the episode is scaled in. */
const BUSY_HOUR_SHARE = HOUR_PROFILE.slice(8, 23).reduce((a, b) => a + b, 0) / 15 / PROFILE_TOTAL;

/**
 * Episode extra volume in "busy hours of normal Telvana volume": `peak` for the first 10 hours,
 * then exponential decay with time constant `tauHours` until the backlash ends. Reviews decay
 * slower (people leave angry reviews for days); news is a smaller wave.
 */
const EPISODE_SHAPE: Record<DemoChannel, { peak: number; tauHours: number }> = {
  social: { peak: 10, tauHours: 30 },
  reviews: { peak: 8, tauHours: 48 },
  news: { peak: 6, tauHours: 36 },
};
const PEAK_PLATEAU_HOURS = 10;

/** Brightwave's lift ("switched to Brightwave") as a share of Telvana's episode excess. */
const BRIGHTWAVE_LIFT: Record<DemoChannel, number> = { social: 0.05, reviews: 0.04, news: 0.1 };

export interface HourPlan {
  phase: DemoPhase;
  /** Expected items with ordinary content (already reduced in the quiet days). */
  base: number;
  /** Expected extra items caused by the episode. */
  excess: number;
  /** Probability that an ordinary item is about the episode anyway (the mood of the hour). */
  mood: number;
  /** Hours since the outage started (negative before it). */
  sinceOutage: number;
  dayIndex: number;
  localHour: number;
}

export function phaseOf(brand: DemoBrand, hourIndex: number): DemoPhase {
  const since = hourIndex - OUTAGE_START_HOUR;
  if (since >= 0 && since < OUTAGE_HOURS) return 'outage';
  if (since >= OUTAGE_HOURS && since < BACKLASH_END_OFFSET) return 'backlash';
  const day = Math.floor(hourIndex / 24);
  // Only Telvana's customers go quiet; Brightwave's week is ordinary.
  if (brand === 'telvana' && day >= DEMO_EPISODE.quietStartDay && day < DEMO_EPISODE.quietEndDay)
    return 'quiet';
  return 'normal';
}

/** Episode intensity in busy-hour units for a channel, `since` hours after the outage began. */
function episodeShape(channel: DemoChannel, since: number): number {
  if (since < 0 || since >= BACKLASH_END_OFFSET) return 0;
  const { peak, tauHours } = EPISODE_SHAPE[channel];
  if (since < PEAK_PLATEAU_HOURS) return peak;
  return peak * Math.exp(-(since - PEAK_PLATEAU_HOURS) / tauHours);
}

export function hourPlan(
  channel: DemoChannel,
  brand: DemoBrand,
  startMs: number,
  hourIndex: number,
): HourPlan {
  const local = new Date(startMs + hourIndex * HOUR_MS + LOCAL_UTC_OFFSET_HOURS * HOUR_MS);
  const localHour = local.getUTCHours();
  const weekday = (local.getUTCDay() + 6) % 7; // Monday = 0
  const hourShare = (HOUR_PROFILE[localHour] ?? 0) / PROFILE_TOTAL;
  const phase = phaseOf(brand, hourIndex);
  const since = hourIndex - OUTAGE_START_HOUR;

  const daily = DAILY_MEAN[channel][brand];
  let base = daily * (WEEKDAY_FACTOR[weekday] ?? 1) * hourShare;
  if (phase === 'quiet') base *= QUIET_FACTOR;

  // Outrage does not sleep as much as ordinary chatter: nights keep at least a third of the wave.
  const nightDamp = Math.max(0.35, (HOUR_PROFILE[localHour] ?? 0) / PROFILE_MAX);
  const telvanaExcess =
    DAILY_MEAN[channel].telvana * BUSY_HOUR_SHARE * episodeShape(channel, since) * nightDamp;
  const excess = brand === 'telvana' ? telvanaExcess : telvanaExcess * BRIGHTWAVE_LIFT[channel];

  let mood = 0;
  if (brand === 'telvana' && phase === 'outage') mood = 0.85;
  else if (brand === 'telvana' && phase === 'backlash') mood = 0.4 * Math.exp(-(since - OUTAGE_HOURS) / 36);

  return { phase, base, excess, mood, sinceOutage: since, dayIndex: Math.floor(hourIndex / 24), localHour };
}
