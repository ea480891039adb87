// The Goldentooth dashboard: one SSE stream of whole snapshots, drawn without any library.
'use strict';

const DAY = 86400000;
const el = (tag, attrs = {}, text) => {
  const node = document.createElement(tag);
  Object.entries(attrs).forEach(([k, v]) => node.setAttribute(k, v));
  if (text !== undefined) node.textContent = text;
  return node;
};
const pct = v => v == null ? '–' : Math.round(v * 100) + ' %';
const level = (v, warn, bad) => v == null ? '' : v >= bad ? 'bad' : v >= warn ? 'warn' : 'ok';
const ago = iso => {
  if (!iso) return '–';
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  return s < 120 ? s + ' s' : s < 7200 ? Math.round(s / 60) + ' min' : Math.round(s / 3600) + ' h';
};

function metric(label, value, cls) {
  const row = el('div', { class: 'metric' });
  row.append(el('span', {}, label), el('span', { class: cls || '' }, value));
  return row;
}

function drawNodes(nodes) {
  const box = document.getElementById('nodes');
  box.replaceChildren(...nodes.map(n => {
    const down = ['down', 'agent-down', 'node-down'].includes(n.liveness);
    const tile = el('div', { class: 'tile ' + (down ? 'down' : n.liveness), 'data-node': n.node, 'data-liveness': n.liveness });
    const h = el('h3');
    h.append(el('span', {}, n.node), el('span', { class: 'state' }, n.liveness));
    tile.append(h);
    if (n.simulated) tile.append(el('div', { class: 'simulated', title: 'an agent stands in for this node (./goldentooth up --simulate)' }, 'simulated'));
    tile.append(metric('temp', n.temperature == null ? '–' : n.temperature.toFixed(1) + ' °C', level(n.temperature, 60, 70)));
    const perCpu = n.load1 == null || !n.cpus ? null : n.load1 / n.cpus;
    tile.append(metric('load', n.load1 == null ? '–' : n.load1.toFixed(2), level(perCpu, 0.8, 1.5)));
    tile.append(metric('memory', pct(n.memoryUsedRatio), level(n.memoryUsedRatio, 0.8, 0.95)));
    tile.append(metric('disk', pct(n.diskUsedRatio), level(n.diskUsedRatio, 0.8, 0.9)));
    tile.append(metric('facts', ago(n.lastFactsAt) + ' ago', down ? 'bad' : ''));
    if (n.dataErrors && n.dataErrors.length) tile.append(metric('data errors', String(n.dataErrors.length), 'warn'));
    return tile;
  }));
}

// One series as a polyline, with a dot on the newest sample so a node seen only briefly still shows.
function series(points, key, t0, t1, max, colour) {
  const svgNs = 'http://www.w3.org/2000/svg';
  const xy = points.filter(p => p[key] != null).map(p => [
    ((Date.parse(p.at) - t0) / (t1 - t0)) * 300, 100 - (p[key] / max) * 95]);
  const group = document.createElementNS(svgNs, 'g');
  group.setAttribute('data-series', key);
  const line = document.createElementNS(svgNs, 'polyline');
  line.setAttribute('points', xy.map(([x, y]) => x.toFixed(1) + ',' + y.toFixed(1)).join(' '));
  line.setAttribute('fill', 'none');
  line.setAttribute('stroke', colour);
  line.setAttribute('stroke-width', '1.5');
  group.append(line);
  if (xy.length) {
    const [x, y] = xy[xy.length - 1];
    const dot = document.createElementNS(svgNs, 'circle');
    dot.setAttribute('cx', x.toFixed(1));
    dot.setAttribute('cy', y.toFixed(1));
    dot.setAttribute('r', '2.5');
    dot.setAttribute('fill', colour);
    group.append(dot);
  }
  return group;
}

function drawCharts(nodes, at) {
  const t1 = Date.parse(at), t0 = t1 - 3600000;
  document.getElementById('charts').replaceChildren(...nodes.map(n => {
    const box = el('div', { class: 'chart', 'data-chart': n.node });
    const temps = n.history.map(p => p.temperature || 0), loads = n.history.map(p => p.load1 || 0);
    const tMax = Math.max(80, ...temps), lMax = Math.max(n.cpus || 1, ...loads);
    box.append(el('div', { class: 'label' }, n.node + ' — temperature (red, max ' + tMax.toFixed(0) + ' °C), load (blue, max ' + lMax.toFixed(1) + ')'));
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('viewBox', '0 0 300 100');
    svg.setAttribute('preserveAspectRatio', 'none');
    svg.append(series(n.history, 'temperature', t0, t1, tMax, '#c62828'), series(n.history, 'load1', t0, t1, lMax, '#1565c0'));
    box.append(svg);
    return box;
  }));
}

function drawAlerts(alerts) {
  const firing = alerts.filter(a => a.phase === 'firing' && !a.inhibited);
  const list = document.getElementById('alerts');
  if (!firing.length) {
    list.replaceChildren(el('li', { class: 'empty' }, 'nothing firing'));
    return;
  }
  list.replaceChildren(...firing.map(a => {
    const li = el('li', { class: a.severity, 'data-alert': a.alertName });
    li.textContent = a.alertName + ' — ' + ((a.annotations && a.annotations.summary) || '') + ' (for ' + ago(a.firedAt) + ')';
    return li;
  }));
}

function drawCerts(certs, at) {
  const now = Date.parse(at);
  const box = document.getElementById('certs');
  if (!certs.length) {
    box.replaceChildren(el('div', { class: 'label' }, 'no certificate events yet'));
    return;
  }
  box.replaceChildren(...certs.map(c => {
    const left = c.notAfter ? Date.parse(c.notAfter) - now : null;
    const cls = left == null ? '' : left > 30 * DAY ? 'ok' : left > 7 * DAY ? 'warn' : 'bad';
    const row = el('div', { class: 'cert' });
    const bar = el('div', { class: 'bar ' + cls });
    bar.style.width = left == null ? '0' : Math.max(2, Math.min(100, left / (90 * DAY) * 100)) + '%';
    row.append(el('span', {}, c.lineage), bar,
      el('span', { class: cls }, left == null ? '?' : left > 2 * DAY ? (left / DAY).toFixed(0) + ' d' : (left / 3600000).toFixed(1) + ' h'));
    return row;
  }));
}

function drawJobs(jobs) {
  document.querySelector('#jobs tbody').replaceChildren(...jobs.map(j => {
    const tr = el('tr');
    [j.jobId.slice(0, 8), j.kind, j.pattern, j.state, j.succeeded + '/' + j.targets, ago(j.updatedAt)]
      .forEach(v => tr.append(el('td', {}, v == null ? '' : String(v))));
    return tr;
  }));
}

function draw(snapshot) {
  drawNodes(snapshot.nodes);
  drawAlerts(snapshot.alerts);
  drawCharts(snapshot.nodes, snapshot.at);
  drawCerts(snapshot.certificates, snapshot.at);
  drawJobs(snapshot.jobs);
  const firing = snapshot.alerts.filter(a => a.phase === 'firing' && !a.inhibited).length;
  const down = snapshot.nodes.filter(n => ['down', 'agent-down', 'node-down'].includes(n.liveness)).length;
  document.getElementById('summary').textContent =
    snapshot.nodes.length + ' nodes, ' + down + ' down, ' + firing + ' alerts firing';
}

function connect() {
  const badge = document.getElementById('connection');
  const source = new EventSource('events');
  source.addEventListener('snapshot', e => {
    badge.textContent = 'live';
    badge.className = 'badge live';
    draw(JSON.parse(e.data));
  });
  source.onerror = () => {
    badge.textContent = 'reconnecting…';
    badge.className = 'badge stale';
  };
}

connect();
