import type { AlertPayload, DigestPayload, MentionSnapshot } from './payload.ts';
import { kindLabel } from './payload.ts';

/**
 * Block Kit messages for Slack incoming webhooks. Slack rejects messages over its limits
 * (https://api.slack.com/reference/block-kit/blocks): at most 50 blocks, 3000 characters per section
 * text, 150 per header, 75 per button label, 2000 per button value; so every text is cut cleanly
 * (at a word, with an ellipsis) before it could be rejected.
 */
export const SLACK_LIMITS = {
  blocks: 50,
  sectionText: 3000,
  headerText: 150,
  contextElementText: 2000,
  buttonText: 75,
  fallbackText: 3000,
  mentionText: 280,
} as const;

export const ACK_ACTION_ID = 'trustwatch_ack';
export const OPEN_ACTION_ID = 'trustwatch_open';

export interface SlackMessage {
  text: string;
  blocks: Record<string, unknown>[];
}

/** Cuts text to `max` characters at a word boundary when one is near, ending with an ellipsis. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  const cut = chars.slice(0, max - 1).join('');
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** Slack mrkdwn treats &, < and > as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const SEVERITY_ICON: Record<string, string> = {
  info: ':large_blue_circle:',
  warning: ':large_orange_circle:',
  critical: ':red_circle:',
};

const EVENT_PREFIX: Record<string, string> = {
  'alert.opened': '',
  'alert.updated': 'Update: ',
  'alert.escalated': 'Escalated: ',
  'alert.acknowledged': 'Acknowledged: ',
  'alert.resolved': 'Resolved: ',
  'alert.reopened': 'Reopened: ',
  test: 'Test: ',
};

function formatNumber(n: number | null, unit: string | null): string {
  if (n === null) return '–';
  if (unit === 'share') return `${(n * 100).toFixed(1)}%`;
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  return n.toFixed(2);
}

function mentionLine(m: MentionSnapshot): string {
  const who = m.authorHandle ? `@${m.authorHandle}: ` : '';
  const text = escapeMrkdwn(truncate(`${who}${m.text.replace(/\s+/g, ' ')}`, SLACK_LIMITS.mentionText));
  // A URL with '|' or '>' would break the <url|label> syntax; such links are shown without a link.
  return m.url && /^https?:\/\/[^\s|<>]+$/.test(m.url) ? `• <${m.url}|${text}>` : `• ${text}`;
}

function section(text: string): Record<string, unknown> {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(text, SLACK_LIMITS.sectionText) } };
}

export function renderAlertMessage(payload: AlertPayload): SlackMessage {
  const a = payload.data.alert;
  const prefix = EVENT_PREFIX[payload.type] ?? '';
  const headline = `${prefix}${a.title}`;
  const blocks: Record<string, unknown>[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: truncate(headline, SLACK_LIMITS.headerText), emoji: true },
    },
    section(`${SEVERITY_ICON[a.severity] ?? ''} *${a.severity.toUpperCase()}* · ${escapeMrkdwn(a.summary)}`),
  ];
  const fields: Record<string, unknown>[] = [
    { type: 'mrkdwn', text: `*Observed*\n${formatNumber(a.observed, a.unit)}` },
    { type: 'mrkdwn', text: `*Expected*\n${formatNumber(a.expected, a.unit)}` },
    { type: 'mrkdwn', text: `*Kind*\n${escapeMrkdwn(kindLabel(a.kind))}` },
    {
      type: 'mrkdwn',
      text: `*State*\n${a.state}${a.acknowledgedBy ? ` by ${escapeMrkdwn(a.acknowledgedBy)}` : ''}`,
    },
  ];
  blocks.push({ type: 'section', fields });
  if (a.trend) blocks.push(section(`*Trend (hourly volume)* \`${a.trend}\``));
  if (a.topMentions.length) {
    blocks.push(section(`*Top mentions*\n${a.topMentions.slice(0, 3).map(mentionLine).join('\n')}`));
  }
  if (a.topTerms.length) {
    blocks.push({
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: truncate(`Terms: ${escapeMrkdwn(a.topTerms.slice(0, 10).join(', '))}`, 300) },
      ],
    });
  }
  const buttons: Record<string, unknown>[] = [];
  if (a.state === 'open' && payload.type !== 'test') {
    buttons.push({
      type: 'button',
      action_id: ACK_ACTION_ID,
      text: { type: 'plain_text', text: 'Acknowledge' },
      style: 'primary',
      value: a.id,
    });
  }
  buttons.push({
    type: 'button',
    action_id: OPEN_ACTION_ID,
    text: { type: 'plain_text', text: 'Open in trustwatch' },
    url: a.url,
  });
  blocks.push({ type: 'actions', block_id: `alert:${a.id}`, elements: buttons });
  return {
    text: truncate(`${prefix}[${a.severity}] ${a.title}: ${a.summary}`, SLACK_LIMITS.fallbackText),
    blocks: blocks.slice(0, SLACK_LIMITS.blocks),
  };
}

function signed(n: number): string {
  return `${n >= 0 ? '+' : ''}${n.toFixed(2)}`;
}

function moodWord(mean: number | null): string {
  if (mean === null) return 'no mentions';
  if (mean >= 0.2) return 'positive';
  if (mean <= -0.2) return 'negative';
  return 'mixed';
}

export function renderDigestMessage(payload: DigestPayload): SlackMessage {
  const d = payload.data.digest;
  const change =
    d.previousMentions > 0
      ? ` (${d.mentions >= d.previousMentions ? '+' : ''}${Math.round(((d.mentions - d.previousMentions) / d.previousMentions) * 100)}% vs previous)`
      : '';
  const mood =
    d.meanSentiment === null
      ? 'no mentions'
      : `${moodWord(d.meanSentiment)} (${signed(d.meanSentiment)}${d.previousMeanSentiment === null ? '' : `, was ${signed(d.previousMeanSentiment)}`})`;
  const title = `${d.period === 'daily' ? 'Daily' : 'Weekly'} digest: ${d.watchName}`;
  const blocks: Record<string, unknown>[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: truncate(title, SLACK_LIMITS.headerText), emoji: true },
    },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Mood*\n${mood}` },
        { type: 'mrkdwn', text: `*Volume*\n${d.mentions.toLocaleString('en-US')} mentions${change}` },
        {
          type: 'mrkdwn',
          text: `*Negative share*\n${d.negativeShare === null ? '–' : `${(d.negativeShare * 100).toFixed(1)}%`}`,
        },
        { type: 'mrkdwn', text: `*Alerts opened*\n${d.alertsOpened}` },
      ],
    },
  ];
  if (d.redFlags.length) {
    blocks.push(
      section(
        `*Top red flags*\n${d.redFlags
          .slice(0, 5)
          .map((f) => `• ${escapeMrkdwn(f.kind.replace(/_/g, ' '))}: ${f.count}`)
          .join('\n')}`,
      ),
    );
  }
  if (d.topMentions.length) {
    blocks.push(section(`*Top mentions*\n${d.topMentions.slice(0, 3).map(mentionLine).join('\n')}`));
  }
  blocks.push({
    type: 'actions',
    elements: [
      {
        type: 'button',
        action_id: OPEN_ACTION_ID,
        text: { type: 'plain_text', text: 'Open in trustwatch' },
        url: d.url,
      },
    ],
  });
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `${d.from.slice(0, 16).replace('T', ' ')} – ${d.to.slice(0, 16).replace('T', ' ')} UTC`,
      },
    ],
  });
  return {
    text: truncate(`${title}: ${d.mentions} mentions, mood ${mood}`, SLACK_LIMITS.fallbackText),
    blocks: blocks.slice(0, SLACK_LIMITS.blocks),
  };
}
