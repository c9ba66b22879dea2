/**
 * A self-contained HTML page of time-series panels stacked over a shared time axis: inline SVG
 * drawn by inline JavaScript from data embedded in the page. No network, no external assets, so
 * the file can be mailed, archived with a run, or served by a live demo.
 *
 * The page draws itself from `<script type="application/json" id="chart-data">` and exposes
 * `window.renderCharts(page)` so a live page can redraw with fresh data. Hovering shows every
 * series' value at that moment in the legends.
 *
 * Markup contract (used by tests and anything scripting the page): each panel is
 * `<section class="panel" data-panel="TITLE">` holding one `<svg>`; each series is a
 * `<path class="series" data-series="NAME">`; each threshold a `<line class="threshold">`; each
 * marker a `<g class="marker" data-kind="action|hold|fault">` holding its line and a `<title>`
 * with its label (the hover text), plus a visible `<text>` for actions and faults while there are
 * few enough to read.
 */

export interface ChartSeries {
  name: string;
  /** One value per time-axis point; null leaves a gap. */
  values: readonly (number | null)[];
  /** CSS colour; defaults to a palette colour by position. */
  color?: string;
  /** Draw as a staircase (counts that change at instants, e.g. task counts). */
  step?: boolean;
  dashed?: boolean;
}

export interface ChartThreshold {
  value: number;
  label: string;
}

/** A chart with its own y axis, which starts at 0 (meant for counts, rates and durations). */
export interface ChartPanel {
  title: string;
  unit?: string;
  series: readonly ChartSeries[];
  thresholds?: readonly ChartThreshold[];
}

/**
 * A moment worth marking: a tick that scaled ("3 → 7: scale-up"), a tick that held for a reason
 * worth seeing, or an injected fault.
 */
export interface ChartMarker {
  /** Seconds, on the time axis. */
  t: number;
  kind: 'action' | 'hold' | 'fault';
  label: string;
  /** Titles of the panels it is drawn on; default every panel. */
  panels?: readonly string[];
}

export interface ChartPage {
  title: string;
  /** Key figures shown under the title, e.g. cost and SLO results. */
  facts?: readonly { label: string; value: string }[];
  time: {
    /** Seconds for each point, shared by every series. */
    seconds: readonly number[];
    /** If set (epoch ms of second 0), the axis shows UTC clock times; otherwise elapsed time. */
    originEpochMs?: number;
  };
  panels: readonly ChartPanel[];
  markers?: readonly ChartMarker[];
}

export function renderChartHtml(page: ChartPage): string {
  // Inside a <script> element only "<" can end it early; escaping it keeps any title safe.
  const data = JSON.stringify(page).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1 id="title"></h1><dl id="facts"></dl><div id="cursor-time"></div></header>
<main id="panels"></main>
<script type="application/json" id="chart-data">${data}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
  body { font: 13px/1.4 system-ui, sans-serif; margin: 16px 24px; color: #222; background: #fff; }
  h1 { font-size: 18px; margin: 0 0 6px; }
  #facts { display: flex; flex-wrap: wrap; gap: 4px 20px; margin: 0 0 12px; }
  #facts div { display: flex; gap: 6px; } #facts dt { color: #666; } #facts dd { margin: 0; font-weight: 600; }
  #cursor-time { color: #666; min-height: 1.4em; }
  .panel { margin-bottom: 10px; }
  .panel h2 { font-size: 13px; margin: 0; display: flex; flex-wrap: wrap; gap: 4px 14px; align-items: baseline; }
  .legend { font-weight: normal; display: inline-flex; gap: 5px; align-items: center; }
  .swatch { width: 14px; height: 3px; display: inline-block; }
  .value { color: #555; font-variant-numeric: tabular-nums; }
  svg { display: block; width: 100%; overflow: visible; }
  .axis text, .threshold-label { fill: #666; font-size: 11px; }
  .grid { stroke: #eee; } .axis-line { stroke: #999; }
  .series { fill: none; stroke-width: 1.5; stroke-linejoin: round; }
  .threshold { stroke: #c00; stroke-dasharray: 5 4; } .threshold-label { fill: #c00; }
  .cursor { stroke: #888; stroke-width: 1; }
  .marker line { stroke-width: 1; } .marker text { font-size: 10px; }
  .marker[data-kind="action"] line { stroke: #2ca02c; } .marker[data-kind="action"] text { fill: #2ca02c; }
  .marker[data-kind="hold"] line { stroke: #999; stroke-width: 2; }
  .marker[data-kind="fault"] line { stroke: #d62728; stroke-dasharray: 3 3; } .marker[data-kind="fault"] text { fill: #d62728; }
`;

/** Browser-side renderer (plain ES2017). */
const SCRIPT = `
(function () {
  var PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'];
  var NS = 'http://www.w3.org/2000/svg';
  var HEIGHT = 170, MARGIN = { left: 64, right: 16, top: 8, bottom: 22 };
  /** Beyond this many actions and faults on a panel, labels would overlap: hovering still shows each. */
  var MAX_LABELLED_MARKERS = 30;
  var current = null;

  function el(name, attrs, parent) {
    var node = document.createElementNS(NS, name);
    for (var k in attrs) node.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(node);
    return node;
  }

  /** Round-numbered ticks from 0 up to the first one at or above max. */
  function valueTicks(max, count) {
    if (!(max > 0)) max = 1;
    var raw = max / count, mag = Math.pow(10, Math.floor(Math.log10(raw)));
    var step = [1, 2, 2.5, 5, 10].map(function (m) { return m * mag; }).filter(function (s) { return s >= raw; })[0];
    var ticks = [0];
    while (ticks[ticks.length - 1] < max) ticks.push(+(ticks.length * step).toPrecision(12));
    return ticks;
  }

  /** Ticks at whole seconds, minutes, hours or days (of the clock, given an origin), about "count" of them. */
  function timeTicks(t0, t1, count, originSeconds) {
    var steps = [10, 15, 30, 60, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800];
    var step = steps.filter(function (s) { return s >= (t1 - t0) / count; })[0] || 604800;
    var ticks = [];
    for (var t = Math.ceil((t0 + originSeconds) / step) * step - originSeconds; t <= t1; t += step) ticks.push(t);
    return ticks;
  }

  function formatNumber(v) {
    if (v === null || v === undefined || isNaN(v)) return '–';
    var a = Math.abs(v);
    if (a >= 1e6) return (v / 1e6).toFixed(a >= 1e7 ? 0 : 1) + 'M';
    if (a >= 1e4) return (v / 1e3).toFixed(a >= 1e5 ? 0 : 1) + 'k';
    return a >= 100 || v === Math.round(v) ? String(Math.round(v)) : v.toFixed(1);
  }

  /** Spans of a few minutes (a demo run) show seconds too. */
  function formatTime(seconds, page, span) {
    var withSeconds = span < 600;
    var origin = page.time.originEpochMs;
    if (origin !== undefined) {
      var iso = new Date(origin + seconds * 1000).toISOString();
      return span > 86400 ? iso.slice(5, 10) + ' ' + iso.slice(11, 16) : iso.slice(11, withSeconds ? 19 : 16);
    }
    var d = Math.floor(seconds / 86400), h = Math.floor(seconds % 86400 / 3600), m = Math.floor(seconds % 3600 / 60), sec = Math.floor(seconds % 60);
    var hm = h + ':' + (m < 10 ? '0' : '') + m + (withSeconds ? ':' + (sec < 10 ? '0' : '') + sec : '');
    return d > 0 ? d + 'd ' + hm : hm;
  }

  /** Screen path for one series; long series keep each pixel column's first, min, max and last points. */
  function seriesPath(ts, values, step, x, y) {
    var out = '', pen = false, column = null, bucket = [];
    function flush() {
      if (!bucket.length) return;
      var first = bucket[0], last = bucket[bucket.length - 1], lo = first, hi = first;
      bucket.forEach(function (p) { if (p[1] < lo[1]) lo = p; if (p[1] > hi[1]) hi = p; });
      [first, lo, hi, last].sort(function (a, b) { return a[0] - b[0]; }).forEach(function (p) {
        var px = x(p[0]).toFixed(1), py = y(p[1]).toFixed(1);
        if (!pen) out += 'M' + px + ',' + py; else if (step) out += 'H' + px + 'V' + py; else out += 'L' + px + ',' + py;
        pen = true;
      });
      bucket = [];
    }
    for (var i = 0; i < ts.length; i++) {
      var v = values[i];
      if (v === null || v === undefined) { flush(); pen = false; column = null; continue; }
      var c = Math.floor(x(ts[i]));
      if (c !== column) { flush(); column = c; }
      bucket.push([ts[i], v]);
    }
    flush();
    return out;
  }

  function render(page) {
    current = page;
    document.title = page.title;
    document.getElementById('title').textContent = page.title;
    var facts = document.getElementById('facts');
    facts.textContent = '';
    (page.facts || []).forEach(function (f) {
      var row = document.createElement('div');
      row.innerHTML = '<dt></dt><dd></dd>';
      row.children[0].textContent = f.label; row.children[1].textContent = f.value;
      facts.appendChild(row);
    });

    var container = document.getElementById('panels');
    container.textContent = '';
    var ts = page.time.seconds, t0 = ts.length ? ts[0] : 0, t1 = ts.length ? ts[ts.length - 1] : 1;
    if (t1 <= t0) t1 = t0 + 1;
    var width = Math.max(320, container.clientWidth || 960);
    var x = function (t) { return MARGIN.left + (t - t0) / (t1 - t0) * (width - MARGIN.left - MARGIN.right); };
    var cursors = [], readouts = [];

    page.panels.forEach(function (panel) {
      var section = document.createElement('section');
      section.className = 'panel';
      section.setAttribute('data-panel', panel.title);
      var heading = document.createElement('h2');
      heading.textContent = panel.title + (panel.unit ? ' (' + panel.unit + ')' : '');
      section.appendChild(heading);

      var max = 0;
      panel.series.forEach(function (s) { s.values.forEach(function (v) { if (v !== null && v > max) max = v; }); });
      (panel.thresholds || []).forEach(function (th) { if (th.value > max) max = th.value; });
      var ticks = valueTicks(max, 4), yMax = ticks[ticks.length - 1];
      var y = function (v) { return MARGIN.top + (1 - v / yMax) * (HEIGHT - MARGIN.top - MARGIN.bottom); };

      var svg = el('svg', { height: HEIGHT, viewBox: '0 0 ' + width + ' ' + HEIGHT, role: 'img', 'aria-label': panel.title }, section);
      var axis = el('g', { 'class': 'axis' }, svg);
      ticks.forEach(function (v) {
        el('line', { 'class': 'grid', x1: MARGIN.left, x2: width - MARGIN.right, y1: y(v), y2: y(v) }, axis);
        el('text', { x: MARGIN.left - 6, y: y(v) + 4, 'text-anchor': 'end' }, axis).textContent = formatNumber(v);
      });
      timeTicks(t0, t1, Math.max(2, Math.floor(width / 110)), (page.time.originEpochMs || 0) / 1000).forEach(function (t) {
        el('text', { x: x(t), y: HEIGHT - 6, 'text-anchor': 'middle' }, axis).textContent = formatTime(t, page, t1 - t0);
      });
      el('line', { 'class': 'axis-line', x1: MARGIN.left, x2: width - MARGIN.right, y1: y(0), y2: y(0) }, axis);

      (panel.thresholds || []).forEach(function (th) {
        el('line', { 'class': 'threshold', x1: MARGIN.left, x2: width - MARGIN.right, y1: y(th.value), y2: y(th.value) }, svg);
        el('text', { 'class': 'threshold-label', x: width - MARGIN.right - 4, y: y(th.value) - 4, 'text-anchor': 'end' }, svg).textContent = th.label;
      });

      panel.series.forEach(function (s, i) {
        var color = s.color || PALETTE[i % PALETTE.length];
        var path = el('path', { 'class': 'series', 'data-series': s.name, stroke: color, d: seriesPath(ts, s.values, s.step, x, y) }, svg);
        if (s.dashed) path.setAttribute('stroke-dasharray', '6 4');
        var legend = document.createElement('span');
        legend.className = 'legend';
        legend.innerHTML = '<span class="swatch"></span><span class="name"></span> <span class="value"></span>';
        legend.children[0].style.background = color;
        legend.children[1].textContent = s.name;
        heading.appendChild(legend);
        readouts.push({ series: s, node: legend.children[2] });
      });

      var markers = (page.markers || []).filter(function (m) { return !m.panels || m.panels.indexOf(panel.title) >= 0; });
      var labelled = markers.filter(function (m) { return m.kind !== 'hold'; }).length <= MAX_LABELLED_MARKERS;
      markers.forEach(function (m, i) {
        var g = el('g', { 'class': 'marker', 'data-kind': m.kind }, svg), mx = x(m.t);
        // A hold is a short tick under the top edge; actions and faults cross the panel.
        el('line', { x1: mx, x2: mx, y1: MARGIN.top, y2: m.kind === 'hold' ? MARGIN.top + 8 : HEIGHT - MARGIN.bottom }, g);
        el('title', {}, g).textContent = formatTime(m.t, page, t1 - t0) + ' ' + m.label;
        if (labelled && m.kind !== 'hold') {
          el('text', { x: mx + 3, y: MARGIN.top + 10 + (i % 3) * 11 }, g).textContent = m.label;
        }
      });

      cursors.push(el('line', { 'class': 'cursor', y1: MARGIN.top, y2: HEIGHT - MARGIN.bottom, visibility: 'hidden' }, svg));
      svg.addEventListener('mousemove', function (event) {
        var box = svg.getBoundingClientRect(), px = (event.clientX - box.left) * width / box.width;
        var t = t0 + (px - MARGIN.left) / (width - MARGIN.left - MARGIN.right) * (t1 - t0), i = nearest(ts, t);
        cursors.forEach(function (c) { c.setAttribute('x1', x(ts[i])); c.setAttribute('x2', x(ts[i])); c.setAttribute('visibility', 'visible'); });
        readouts.forEach(function (r) { r.node.textContent = formatNumber(r.series.values[i]); });
        document.getElementById('cursor-time').textContent = 'at ' + formatTime(ts[i], page, t1 - t0);
      });
      container.appendChild(section);
    });
  }

  function nearest(ts, t) {
    var lo = 0, hi = ts.length - 1;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (ts[mid] < t) lo = mid + 1; else hi = mid; }
    return lo > 0 && t - ts[lo - 1] < ts[lo] - t ? lo - 1 : lo;
  }

  window.renderCharts = render;
  render(JSON.parse(document.getElementById('chart-data').textContent));
  window.addEventListener('resize', function () { if (current) render(current); });
})();
`;
