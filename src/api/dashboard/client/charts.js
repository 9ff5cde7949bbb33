// Shared chart helpers for the dashboard's page scripts: JSON from the API with the session cookie,
// uPlot charts that follow their container's width, legends, marker overlays and panels. uPlot is the
// global from uPlot.iife.min.js (loaded before the page's modules). Nothing here touches innerHTML
// with data: text goes in through textContent, so mention text can never become markup.

/** Series colours (distinct in greyscale too), matched by the `.swatch.cN` legend classes. */
export const PALETTE = ['#1f5fbf', '#b42318', '#1d7a46', '#9a5b00', '#6b3fa0', '#0f7b8a'];

/** GET a JSON API path; throws with the server's problem detail when it fails. */
export async function getJson(path) {
  const res = await fetch(path, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  if (!res.ok) {
    let detail = res.statusText;
    try {
      detail = (await res.json()).detail ?? detail;
    } catch {
      // not JSON: keep the status text
    }
    throw new Error(`${res.status} ${detail}`);
  }
  return res.json();
}

/** POST to the JSON API with the session's CSRF token (the API refuses cookie writes without it). */
export async function postJson(path, body) {
  const token = document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';
  const res = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf-token': token },
    body: JSON.stringify(body ?? {}),
    credentials: 'same-origin',
  });
  if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
  return res.json();
}

/** Creates an element with a class and text. */
export function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}

/** Replaces a chart's box with a message (no data, or the API failed). */
export function showMessage(box, text) {
  box.replaceChildren(el('p', 'muted', text));
}

/** Unix seconds of each bucket's start (uPlot's x values). */
export function times(buckets) {
  return buckets.map((b) => Date.parse(b.start) / 1000);
}

const dateFmt = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});
export function utcText(seconds) {
  return `${dateFmt.format(new Date(seconds * 1000))} UTC`;
}

/**
 * A uPlot chart in `box`, as wide as the box (it follows resizes), UTC times on the x axis.
 * `series` are uPlot series options without colours; colours come from PALETTE in order.
 */
export function chart(box, { series, data, axes, scales, height = 240, plugins = [] }) {
  const width = Math.max(280, box.clientWidth || 600);
  const opts = {
    width,
    height,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    legend: { show: false },
    cursor: { drag: { x: true, y: false } },
    scales: { x: { time: true }, ...(scales ?? {}) },
    axes: axes ?? [{}, {}],
    series: [
      {},
      ...series.map((s, i) => ({
        stroke: PALETTE[i % PALETTE.length],
        width: 1.5,
        spanGaps: false,
        points: { show: false },
        ...s,
      })),
    ],
    plugins,
  };
  box.replaceChildren();
  // uPlot is the global from uPlot.iife.min.js.
  const u = new uPlot(opts, data, box);
  const resize = new ResizeObserver(() => {
    const w = Math.max(280, box.clientWidth);
    if (Math.abs(w - u.width) > 2) u.setSize({ width: w, height });
  });
  resize.observe(box);
  return u;
}

/** A legend line under a chart: a swatch per series (colour by index) and its label. */
export function legend(box, labels) {
  const p = el('p', 'chart-legend');
  labels.forEach((label, i) => {
    p.append(el('span', `swatch c${i % PALETTE.length}`), document.createTextNode(label));
  });
  box.after(p);
}

const SEVERITY_RANK = { critical: 3, warning: 2, info: 1 };

/**
 * A uPlot plugin drawing focusable buttons over the plot at the markers' times. Markers closer than
 * `gap` pixels are drawn as one button (the most severe leads, with a count), re-grouped on zoom and
 * resize; `onSelect(marker, group)` gets the lead and every marker of its group.
 * Markers are `{ at: seconds, label, severity, id }`.
 */
export function markersPlugin(markers, onSelect, gap = 16) {
  const buttons = [];
  let groups = [];
  const place = (u) => {
    // uPlot sizes the chart before `ready`, when there are no buttons yet.
    if (buttons.length < markers.length) return;
    const width = u.over.clientWidth;
    const placed = markers
      .map((m, i) => ({ m, i, x: u.valToPos(m.at, 'x') }))
      .filter((p) => p.x >= 0 && p.x <= width)
      .sort((a, b) => a.x - b.x);
    groups = [];
    for (const p of placed) {
      const last = groups[groups.length - 1];
      if (last && p.x - last.x0 <= gap) last.items.push(p);
      else groups.push({ x0: p.x, items: [p] });
    }
    for (const b of buttons) b.hidden = true;
    for (const g of groups) {
      const lead = g.items.reduce((a, b) =>
        (SEVERITY_RANK[b.m.severity] ?? 0) > (SEVERITY_RANK[a.m.severity] ?? 0) ? b : a,
      );
      const button = buttons[lead.i];
      const x = g.items.reduce((t, p) => t + p.x, 0) / g.items.length;
      button.hidden = false;
      button.style.left = `${x}px`;
      button.textContent = g.items.length > 1 ? String(g.items.length) : '';
      button.classList.toggle('group', g.items.length > 1);
      const label =
        g.items.length > 1
          ? `${g.items.length} alerts: ${g.items.map((p) => p.m.label).join('; ')}`
          : lead.m.label;
      button.setAttribute('aria-label', label);
      button.title = label;
      button.groupMembers = g.items.map((p) => p.m);
    }
  };
  return {
    hooks: {
      ready: (u) => {
        markers.forEach((m, i) => {
          const b = el('button', `marker sev-${m.severity ?? 'info'}`);
          b.type = 'button';
          b.dataset.at = String(m.at);
          b.dataset.alert = m.id;
          b.setAttribute('aria-pressed', 'false');
          b.setAttribute('aria-label', m.label);
          b.addEventListener('click', () => onSelect(m, b.groupMembers ?? [m]));
          // The overlay takes the cursor's mouse events; the markers sit above it.
          u.over.append(b);
          buttons[i] = b;
        });
        place(u);
      },
      setSize: place,
      setScale: (u, key) => {
        if (key === 'x') place(u);
      },
    },
  };
}
