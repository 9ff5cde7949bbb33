// The alert page's chart: the watch's hourly series around the incident, in the measure the detector
// judged (mentions, negative share, a red flag or rating), with the hour that opened the alert (dashed)
// and the latest hour detected (solid). Sets data-ready on the chart when drawn.
import { chart, getJson, legend, showMessage, times } from './charts.js';

const box = document.getElementById('chart-around');
if (box) {
  draw(box).catch((err) => {
    showMessage(box, `Could not load the chart: ${err.message}`);
    box.dataset.ready = 'error';
  });
}

/** The value the detector judged, per bucket, and its name. */
function measure(kind, unit, subject) {
  if (unit === 'share') return { label: 'Negative share (%)', scale: 100, of: (b) => b.negativeShare };
  if (kind === 'signal_spike' && subject)
    return {
      label: `Mentions with ${subject.replace(/_/g, ' ')}`,
      scale: 1,
      of: (b) => b.signals?.[subject] ?? 0,
    };
  if (kind === 'rating_drop') return { label: 'Average rating', scale: 1, of: (b) => b.rating?.mean ?? null };
  return { label: 'Mentions', scale: 1, of: (b) => b.mentions };
}

async function draw(box) {
  const { watch, from, to, at, opened, kind, unit, subject } = box.dataset;
  const qs = new URLSearchParams({ watch, from, to, bucket: 'hour' });
  const trend = await getJson(`/api/v1/trends?${qs}`);
  if (!trend.buckets.length) return showMessage(box, 'No data around this alert.');
  const m = measure(kind, unit, subject);
  const x = times(trend.buckets);
  const values = trend.buckets.map((b) => {
    const v = m.of(b);
    return v === null || v === undefined ? null : v * m.scale;
  });
  const lines = [
    { at: Date.parse(opened) / 1000, dash: [6, 4] },
    { at: Date.parse(at) / 1000, dash: [] },
  ];
  chart(box, {
    data: [x, values],
    series: [{ label: m.label, width: 2 }],
    axes: [{}, { label: m.label }],
    plugins: [
      {
        hooks: {
          draw: (u) => {
            const { ctx } = u;
            ctx.save();
            ctx.strokeStyle = '#b42318';
            ctx.lineWidth = 2 * devicePixelRatio;
            for (const line of lines) {
              const px = u.valToPos(line.at, 'x', true);
              ctx.setLineDash(line.dash.map((d) => d * devicePixelRatio));
              ctx.beginPath();
              ctx.moveTo(px, u.bbox.top);
              ctx.lineTo(px, u.bbox.top + u.bbox.height);
              ctx.stroke();
            }
            ctx.restore();
          },
        },
      },
    ],
  });
  legend(box, [m.label]);
  box.dataset.ready = '1';
}
