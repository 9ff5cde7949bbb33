// The overview's charts: reputation and sentiment with alert markers, volume by source, share of voice
// and average rating, all from the JSON API with the session cookie. Sets data-ready on #overview once
// every chart is drawn (the browser tests and the bench wait for it).
import { chart, el, getJson, legend, markersPlugin, showMessage, times, utcText } from './charts.js';

const root = document.getElementById('overview');
if (root) {
  main(root).catch((err) => {
    for (const box of root.querySelectorAll('.chart'))
      showMessage(box, `Could not load the chart: ${err.message}`);
    root.dataset.ready = 'error';
  });
}

async function main(root) {
  const { watch, from, to, bucket } = root.dataset;
  const qs = new URLSearchParams({ watch, from, to, bucket }).toString();
  const [trend, voice] = await Promise.all([
    getJson(`/api/v1/trends?${qs}`),
    getJson(`/api/v1/trends/share-of-voice?${qs}`),
  ]);
  const buckets = trend.buckets;
  const x = times(buckets);
  const markerButtons = [...root.querySelectorAll('button[data-alert]')];
  const select = (id, group) => showAlert(id, group ?? [], markerButtons, select);
  for (const b of markerButtons) b.addEventListener('click', () => select(b.dataset.alert));

  drawReputation(document.getElementById('chart-reputation'), x, buckets, markerButtons, select);
  drawSources(document.getElementById('chart-sources'), x, buckets);
  drawVoice(document.getElementById('chart-voice'), voice);
  drawRating(document.getElementById('chart-rating'), x, buckets);
  // Milliseconds from navigation start to every chart drawn (the dashboard bench reads it).
  root.dataset.readyMs = String(Math.round(performance.now()));
  root.dataset.ready = '1';
}

function drawReputation(box, x, buckets, markerButtons, select) {
  if (!box) return;
  if (!buckets.length) return showMessage(box, 'No mentions in this range.');
  const markers = markerButtons.map((b) => ({
    id: b.dataset.alert,
    at: Date.parse(b.dataset.at) / 1000,
    label: b.textContent.trim(),
    severity: b.dataset.severity,
  }));
  // An empty bucket has no sentiment: a gap, not a zero.
  const index = buckets.map((b) => (b.mentions > 0 ? b.reputationIndex : null));
  const sentiment = buckets.map((b) => b.meanSentiment);
  chart(box, {
    data: [x, index, sentiment],
    scales: { idx: { range: [0, 100] }, sent: { range: [-1, 1] } },
    axes: [
      {},
      { scale: 'idx', label: 'Reputation index' },
      { scale: 'sent', side: 1, grid: { show: false }, label: 'Sentiment' },
    ],
    series: [
      { label: 'Reputation index', scale: 'idx', width: 2 },
      { label: 'Mean sentiment', scale: 'sent' },
    ],
    plugins: [markersPlugin(markers, (m, group) => select(m.id, group))],
  });
  legend(box, ['Reputation index (left axis)', 'Mean sentiment (right axis)']);
}

function drawSources(box, x, buckets) {
  if (!box) return;
  const types = [...new Set(buckets.flatMap((b) => Object.keys(b.sources ?? {})))].sort();
  if (!types.length) return showMessage(box, 'No mentions in this range.');
  chart(box, {
    data: [x, ...types.map((t) => buckets.map((b) => b.sources?.[t] ?? 0))],
    series: types.map((t) => ({ label: t })),
    axes: [{}, { label: 'Mentions' }],
    height: 200,
  });
  legend(box, types);
}

function drawVoice(box, voice) {
  if (!box) return;
  const watches = voice.watches ?? [];
  if (!watches.length || !watches[0].buckets.length) return showMessage(box, 'No competitors to compare.');
  const x = times(watches[0].buckets);
  chart(box, {
    data: [x, ...watches.map((w) => w.buckets.map((b) => (b.share === null ? null : b.share * 100)))],
    scales: { y: { range: [0, 100] } },
    axes: [{}, { label: 'Share of voice (%)' }],
    series: watches.map((w) => ({ label: w.name })),
    height: 200,
  });
  legend(
    box,
    watches.map((w) => w.name),
  );
  voiceRows(watches);
}

/** The share-of-voice table: mentions, share, negative share and reputation per watch. */
function voiceRows(watches) {
  const body = document.getElementById('voice-rows');
  if (!body) return;
  const pct = (x) => (x === null || x === undefined ? '–' : `${Math.round(x * 100)}%`);
  body.replaceChildren(
    ...watches.map((w) => {
      const tr = el('tr');
      const th = el('th', null, w.name);
      th.scope = 'row';
      if (w.kind === 'competitor') th.append(el('span', 'muted', ' (competitor)'));
      tr.append(
        th,
        el('td', 'num', w.totals.mentions.toLocaleString('en-US')),
        el('td', 'num', pct(w.share)),
        el('td', 'num', pct(w.totals.negativeShare)),
        el('td', 'num', Math.round(w.totals.reputationIndex)),
      );
      return tr;
    }),
  );
}

function drawRating(box, x, buckets) {
  if (!box) return;
  const rating = buckets.map((b) => b.rating?.mean ?? null);
  if (rating.every((r) => r === null))
    return showMessage(box, 'No ratings in this range (no review source).');
  chart(box, {
    data: [x, rating],
    scales: { y: { range: [1, 5] } },
    axes: [{}, { label: 'Stars' }],
    series: [{ label: 'Average rating', spanGaps: true, points: { show: true, size: 3 } }],
    height: 180,
  });
}

/**
 * Shows an alert and its mentions in the side panel (from the API); when the marker stood for several
 * alerts at about the same time, the others are listed to switch to.
 */
async function showAlert(id, group, markerButtons, select) {
  const panel = document.getElementById('alert-panel');
  if (!panel) return;
  const button = markerButtons.find((b) => b.dataset.alert === id);
  for (const b of document.querySelectorAll('[data-alert]')) {
    b.setAttribute('aria-pressed', String(b.dataset.alert === id));
  }
  panel.replaceChildren(el('h2', null, 'Alert'), el('p', 'muted', 'Loading…'));
  panel.dataset.alert = id;
  try {
    const query = button?.dataset.mentions ?? '';
    const [alert, mentions] = await Promise.all([
      getJson(`/api/v1/alerts/${encodeURIComponent(id)}`),
      getJson(`/api/v1/mentions?${query}&limit=10`),
    ]);
    if (panel.dataset.alert !== id) return;
    const title = el('h2');
    const link = el('a', null, alert.title);
    link.href = `/alerts/${encodeURIComponent(id)}`;
    title.append(link);
    const badges = el('p', 'actions');
    badges.append(
      el('span', `badge sev-${alert.severity}`, alert.severity),
      el('span', `badge state-${alert.state}`, alert.state),
      el('span', 'muted', `opened ${utcText(Date.parse(alert.openedAt) / 1000)}`),
    );
    const facts = el('p', null, alert.summary);
    const list = el('ul', 'mentions');
    list.setAttribute('aria-label', 'Mentions behind this alert');
    for (const m of mentions.items ?? []) list.append(mentionItem(m));
    if (!list.children.length) list.append(el('li', 'muted', 'No mentions in this window.'));
    const more = el('p');
    const all = el('a', null, 'All mentions of this alert');
    all.href = `/mentions?${query}`;
    const detail = el('a', null, 'Open the alert');
    detail.href = `/alerts/${encodeURIComponent(id)}`;
    more.append(detail, document.createTextNode(' · '), all);
    const parts = [title, badges, facts, el('h3', null, 'Mentions'), list, more];
    const others = group.filter((m) => m.id !== id);
    if (others.length) {
      const h = el('h3', null, 'Other alerts at this time');
      const ul = el('ul', 'marker-list');
      for (const m of others) {
        const b = el('button', `marker-button sev-${m.severity}`, m.label);
        b.type = 'button';
        b.addEventListener('click', () => select(m.id, group));
        const li = el('li');
        li.append(b);
        ul.append(li);
      }
      parts.push(h, ul);
    }
    panel.replaceChildren(...parts);
  } catch (err) {
    panel.replaceChildren(
      el('h2', null, 'Alert'),
      el('p', 'error', `Could not load the alert: ${err.message}`),
    );
  }
}

function mentionItem(m) {
  const li = el('li');
  const text = el('p', null, m.title ? `${m.title}: ${m.text}` : m.text);
  const meta = el('p', 'meta');
  const who = m.author?.handle ? `@${m.author.handle}` : (m.author?.name ?? 'unknown author');
  const label = m.sentiment?.label ?? 'neutral';
  meta.append(
    document.createTextNode(`${who} · ${utcText(Date.parse(m.publishedAt) / 1000)} · `),
    el('span', label === 'negative' ? 'neg' : label === 'positive' ? 'pos' : null, label),
  );
  if (m.url && /^https?:\/\//i.test(m.url)) {
    const a = el('a', null, 'original');
    a.href = m.url;
    a.rel = 'noopener noreferrer';
    meta.append(document.createTextNode(' · '), a);
  }
  li.append(text, meta);
  return li;
}
