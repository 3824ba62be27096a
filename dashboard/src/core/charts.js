// Chart.js with only the parts the three charts use, so the bundle leaves the rest out. No animation: the
// figures appear at once, for readers who asked for less motion and for screenshots alike.
import {
  Chart, LineController, LineElement, PointElement, BarController, BarElement, CategoryScale, LinearScale, Legend,
  Tooltip,
} from 'chart.js';

Chart.register(LineController, LineElement, PointElement, BarController, BarElement, CategoryScale, LinearScale,
  Legend, Tooltip);

/** Colours that keep 3:1 against white and stay apart for the common colour-vision deficiencies. */
export const PALETTE = ['#0b57d0', '#b3261e', '#1e7d32', '#8a4baf', '#9a5b00', '#00707a'];
const INK = '#1f2328';
const GRID = '#d0d7de';

function base(lang, percent, everyLabel) {
  const pct = (v) => (lang === 'fr' ? `${v}\u00a0%` : `${v}%`);
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    locale: lang === 'fr' ? 'fr-FR' : 'en-GB',
    interaction: { mode: 'index', intersect: false },
    plugins: {
      legend: { position: 'bottom', labels: { color: INK, boxWidth: 14 } },
      tooltip: percent ? { callbacks: {
        label: (c) => `${c.dataset.label}${lang === 'fr' ? '\u00a0:' : ':'} ${pct(c.formattedValue)}`,
      } } : {},
    },
    scales: {
      x: { ticks: { color: INK, maxRotation: everyLabel ? 45 : 0, autoSkip: !everyLabel }, grid: { display: false } },
      y: { beginAtZero: true, ticks: { color: INK, precision: 0 }, grid: { color: GRID },
        ...(percent ? { max: 100, ticks: { color: INK, callback: pct } } : {}) },
    },
  };
}

function line(data, i) {
  const colour = PALETTE[i % PALETTE.length];
  return { label: data.label, data: data.data, borderColor: colour, backgroundColor: colour, borderWidth: 2,
    pointRadius: data.data.length > 40 ? 0 : 3, spanGaps: false, borderDash: data.previous ? [6, 4] : undefined };
}

/** Draws `series` (see series.js) on `canvas`: 'optIn' and 'traffic' as lines, 'choices' as bars. */
export function draw(canvas, kind, series, lang) {
  if (kind === 'choices') {
    return new Chart(canvas, {
      type: 'bar',
      data: { labels: series.labels, datasets: series.datasets.map((d, i) => ({ label: d.label, data: d.data,
        backgroundColor: i === 0 ? PALETTE[0] : '#7d8590', borderRadius: 3 })) },
      options: base(lang, false, true),
    });
  }
  const lines = series.datasets.map((d, i) => line(d, kind === 'traffic' && d.previous ? i - 2 : i));
  return new Chart(canvas, { type: 'line', data: { labels: series.labels, datasets: lines },
    options: base(lang, kind === 'optIn') });
}
