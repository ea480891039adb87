// The Goldentooth dashboard: one SSE stream of whole snapshots, drawn without any library, and
// pages to act from (node, job, run, silences). Runs and job output go to the provisioner's own
// REST API with the operator's token (the same API and audit trail as the CLI); silences to the
// monitor's. Nothing here decides who may do what: the services check the token's role.
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
    h.append(el('a', { href: '#/node/' + encodeURIComponent(n.node) }, n.node), el('span', { class: 'state' }, n.liveness));
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

function silencedSet(silences) {
  return new Set((silences || []).flatMap(v => v.silencedAlerts || []));
}

function alertItem(a, silenced) {
  const li = el('li', { class: a.severity, 'data-alert': a.alertName });
  li.append(el('span', {}, a.alertName + ' — ' + ((a.annotations && a.annotations.summary) || '') +
    ' (' + a.phase + ' for ' + ago(a.phase === 'firing' ? a.firedAt : a.activeSince) + ')'));
  if (silenced.has(a.fingerprint)) {
    li.classList.add('silenced');
    li.append(el('span', { class: 'tag' }, 'silenced'));
  } else {
    const q = new URLSearchParams({ alertname: a.alertName });
    if (a.labels && a.labels.node) q.set('node', a.labels.node);
    li.append(el('a', { class: 'tag', href: '#/silences?' + q }, 'silence…'));
  }
  return li;
}

function drawAlerts(alerts, silences) {
  const firing = alerts.filter(a => a.phase === 'firing' && !a.inhibited);
  const list = document.getElementById('alerts');
  if (!firing.length) {
    list.replaceChildren(el('li', { class: 'empty' }, 'nothing firing'));
    return;
  }
  const silenced = silencedSet(silences);
  list.replaceChildren(...firing.map(a => alertItem(a, silenced)));
}

// The colour comes from the monitor (c.status, by events' ExpiryTiers: the rule pki-service and the
// CLI use), never from a rule of its own here. The bar is the share of the lifetime left.
const CERT_CLASS = { valid: 'ok', warning: 'warn', critical: 'bad', emergency: 'bad', expired: 'bad' };

function drawCerts(certs, at, boxId = 'certs') {
  const now = Date.parse(at);
  const box = document.getElementById(boxId);
  if (!certs.length) {
    box.replaceChildren(el('div', { class: 'label' }, 'no certificate events yet'));
    return;
  }
  box.replaceChildren(...certs.map(c => {
    const left = c.notAfter ? Date.parse(c.notAfter) - now : null;
    const cls = CERT_CLASS[c.status] || '';
    const row = el('div', { class: 'cert', 'data-lineage': c.lineage, 'data-status': c.status || 'unknown' });
    const bar = el('div', { class: 'bar ' + cls });
    const life = c.notBefore && c.notAfter ? Date.parse(c.notAfter) - Date.parse(c.notBefore) : 90 * DAY;
    bar.style.width = left == null ? '0' : Math.max(2, Math.min(100, left / life * 100)) + '%';
    row.append(el('span', { title: c.status || '' }, c.lineage), bar,
      el('span', { class: cls }, left == null ? '?' : left > 2 * DAY ? (left / DAY).toFixed(0) + ' d' : (left / 3600000).toFixed(1) + ' h'));
    return row;
  }));
}

function jobLink(id) {
  return el('a', { href: '#/job/' + encodeURIComponent(id) }, id.slice(0, 8));
}

function drawJobs(jobs) {
  document.querySelector('#jobs tbody').replaceChildren(...jobs.map(j => {
    const tr = el('tr');
    tr.append(el('td'));
    tr.firstChild.append(jobLink(j.jobId));
    [j.kind, j.pattern, j.state, j.succeeded + '/' + j.targets, ago(j.updatedAt)]
      .forEach(v => tr.append(el('td', {}, v == null ? '' : String(v))));
    return tr;
  }));
}


// ---- state, token, HTTP ----

const TOKEN_KEY = 'goldentooth.token';
const state = { snapshot: null, config: { provisionerUrl: null }, configRead: false, page: null, jobAbort: null };

const token = () => sessionStorage.getItem(TOKEN_KEY);
const authHeaders = () => (token() ? { Authorization: 'Bearer ' + token() } : {});

function say(text, kind = 'info') {
  const box = document.getElementById('message');
  box.hidden = !text;
  box.className = kind;
  box.textContent = text || '';
}

/** An ApiError's sentence (the services answer every 4xx/5xx with one), or the bare status. */
async function failure(response, what) {
  let detail = '';
  try {
    const body = await response.json();
    detail = body.error || '';
    if (body.hints && body.hints.length) detail += ' (' + body.hints.slice(0, 8).join(', ') + ')';
  } catch (e) { /* not JSON */ }
  const why = response.status === 401 ? 'authentication needed: enter a token'
    : response.status === 403 ? 'refused for this token\'s role' : 'HTTP ' + response.status;
  const error = new Error(what + ': ' + why + (detail ? ' — ' + detail : ''));
  error.status = response.status;
  return error;
}

async function call(url, what, options = {}) {
  let response;
  try {
    response = await fetch(url, { ...options, headers: { Accept: 'application/json', ...authHeaders(), ...(options.headers || {}) } });
  } catch (e) {
    // A cross-origin answer the browser may not show (a 401 before CORS) lands here too.
    throw new Error(what + ': no answer (' + e.message + '); is the service up, and is the token valid?');
  }
  if (!response.ok) throw await failure(response, what);
  return response.status === 204 ? null : response.json();
}

/** The provisioner's URL for {@code path}; the configuration is read again until it has been read once. */
async function provisioner(path) {
  if (!state.configRead) {
    state.config = await call('dashboard/config', 'dashboard configuration');
    state.configRead = true;
  }
  if (!state.config.provisionerUrl) {
    throw new Error('the provisioner\'s URL is not configured (goldentooth.monitor.provisioner-url)');
  }
  return state.config.provisionerUrl + path;
}

/** Server-sent events through fetch (EventSource cannot send the Authorization header). */
async function sse(url, onEvent, signal) {
  const response = await fetch(url, { headers: { Accept: 'text/event-stream', ...authHeaders() }, signal });
  if (!response.ok) throw await failure(response, url);
  return readEvents(response, onEvent);
}

function randomKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
}

// ---- overview ----

function draw(snapshot) {
  state.snapshot = snapshot;
  drawNodes(snapshot.nodes);
  drawAlerts(snapshot.alerts, snapshot.silences);
  drawCharts(snapshot.nodes, snapshot.at);
  drawCerts(snapshot.certificates, snapshot.at);
  drawJobs(snapshot.jobs);
  drawSilences(snapshot.silences || []);
  const firing = snapshot.alerts.filter(a => a.phase === 'firing' && !a.inhibited).length;
  const down = snapshot.nodes.filter(n => ['down', 'agent-down', 'node-down'].includes(n.liveness)).length;
  document.getElementById('summary').textContent =
    snapshot.nodes.length + ' nodes, ' + down + ' down, ' + firing + ' alerts firing';
  if (state.page && state.page.name === 'node') drawNodeLive(state.page.arg);
}

async function connect() {
  const badge = document.getElementById('connection');
  for (;;) {
    try {
      await sse('events', (name, data) => {
        if (name !== 'snapshot') return;
        badge.textContent = 'live';
        badge.className = 'badge live';
        draw(JSON.parse(data));
      });
    } catch (e) {
      if (e.status === 401 || e.status === 403) say(e.message, 'error');
    }
    badge.textContent = 'reconnecting…';
    badge.className = 'badge stale';
    await new Promise(r => setTimeout(r, 2000));
  }
}

// ---- node page ----

const CHARTS = [
  { key: 'temperature', label: 'temperature °C', colour: '#c62828', max: h => Math.max(80, ...h) },
  { key: 'load1', label: 'load (1 min)', colour: '#1565c0', max: (h, n) => Math.max(n.cpus || 1, ...h) },
  { key: 'memoryUsedRatio', label: 'memory used', colour: '#6a1b9a', max: () => 1, pct: true },
  { key: 'diskUsedRatio', label: 'fullest disk used', colour: '#ef6c00', max: () => 1, pct: true },
  { key: 'cpuBusyRatio', label: 'CPU busy', colour: '#00838f', max: () => 1, pct: true },
  { key: 'networkReceiveBytesPerSecond', label: 'network received', colour: '#2e7d32', max: h => Math.max(1024, ...h), rate: true },
  { key: 'networkTransmitBytesPerSecond', label: 'network sent', colour: '#558b2f', max: h => Math.max(1024, ...h), rate: true },
];

/** Bytes per second in the largest unit that keeps the figure at least 1 (B/s, KiB/s, MiB/s, GiB/s). */
function perSecond(v) {
  const units = ['B/s', 'KiB/s', 'MiB/s', 'GiB/s'];
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return (i === 0 ? Math.round(v) : v.toFixed(1)) + ' ' + units[i];
}

function nodeCharts(tile, at) {
  const t1 = Date.parse(at), t0 = t1 - 3600000;
  return CHARTS.map(c => {
    const values = tile.history.map(p => p[c.key]).filter(v => v != null);
    const max = c.max(values, tile);
    const newest = values.length ? values[values.length - 1] : null;
    const box = el('div', { class: 'chart', 'data-chart': c.key });
    box.append(el('div', { class: 'label' }, c.label + ': ' + (newest == null ? '–'
      : c.pct ? pct(newest) : c.rate ? perSecond(newest) : newest.toFixed(c.key === 'load1' ? 2 : 1))
      + ' (max ' + (c.pct ? '100 %' : c.rate ? perSecond(max) : max.toFixed(1)) + ')'));
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('viewBox', '0 0 300 100');
    svg.setAttribute('preserveAspectRatio', 'none');
    svg.append(series(tile.history, c.key, t0, t1, max, c.colour));
    box.append(svg);
    return box;
  });
}

function factsTable(facts) {
  if (!facts) return [el('p', { class: 'muted' }, 'no facts yet')];
  const rows = [['agent', facts.agentVersion], ['collected', facts.collectedAt]];
  Object.entries(facts).forEach(([name, section]) => {
    if (!section || typeof section !== 'object' || !('value' in section)) return;
    const v = section.value;
    let text;
    if (Array.isArray(v)) {
      text = v.map(item => typeof item === 'object' ? Object.entries(item).filter(([, x]) => typeof x !== 'object')
        .map(([k, x]) => k + '=' + x).join(' ') : String(item)).join('\n');
    } else if (v && typeof v === 'object') {
      text = Object.entries(v).map(([k, x]) => k + ': ' + (typeof x === 'object' ? JSON.stringify(x) : x)).join('\n');
    } else {
      text = String(v);
    }
    rows.push([name + (section.stale ? ' (stale)' : ''), text]);
  });
  return rows.map(([k, v]) => {
    const row = el('div', { class: 'fact', 'data-fact': k });
    row.append(el('span', { class: 'key' }, k), el('pre', {}, v == null ? '–' : String(v)));
    return row;
  });
}

function drawNodeLive(name) {
  const snap = state.snapshot;
  if (!snap) return;
  const tile = snap.nodes.find(n => n.node === name);
  document.getElementById('node-title').textContent = name + (tile ? ' — ' + tile.liveness : ' — not known to the monitor');
  if (tile) document.getElementById('node-charts').replaceChildren(...nodeCharts(tile, snap.at));
  const silenced = silencedSet(snap.silences);
  const alerts = snap.alerts.filter(a => a.labels && a.labels.node === name && a.phase !== 'inactive');
  document.getElementById('node-alerts').replaceChildren(...(alerts.length ? alerts.map(a => alertItem(a, silenced))
    : [el('li', { class: 'empty' }, 'no alerts')]));
  drawCerts(snap.certificates.filter(c => c.node === name), snap.at, 'node-certs');
}

/** The node's service checks (issue 19) from the monitor's GET /services: state, version, details, error. */
function drawServices(checks) {
  const tbody = document.querySelector('#node-services tbody');
  if (!checks || !checks.length) {
    const tr = el('tr');
    tr.append(el('td', { colspan: '5', class: 'muted' }, 'no service checks configured for this node'));
    tbody.replaceChildren(tr);
    return;
  }
  tbody.replaceChildren(...checks.map(c => {
    const tr = el('tr', { class: 'service ' + (c.state === 'ok' ? 'ok' : c.state === 'critical' ? 'bad' : 'warn'),
      'data-service': c.name, 'data-state': c.state });
    const details = Object.entries(c.details || {}).map(([k, v]) => k + '=' + v).join(' ');
    [c.name + (c.kind && c.kind !== c.name ? ' (' + c.kind + ')' : ''), c.state, c.version || '–',
      details + (c.error ? (details ? '\n' : '') + c.error : ''), ago(c.checkedAt)]
      .forEach(v => tr.append(el('td', {}, v)));
    tr.children[3].className = 'details';
    return tr;
  }));
}

/** Pages other helpers extend: a function (nodeName, element) drawing into the node's logs slot. */
window.goldentooth = { nodeLogs: null };

async function showNode(name) {
  drawNodeLive(name);
  document.getElementById('node-facts').replaceChildren(el('p', { class: 'muted' }, 'loading…'));
  const logs = document.getElementById('node-logs-body');
  if (typeof window.goldentooth.nodeLogs === 'function') window.goldentooth.nodeLogs(name, logs);
  try {
    const detail = await call('nodes/' + encodeURIComponent(name), 'facts of ' + name);
    document.getElementById('node-facts').replaceChildren(...factsTable(detail.facts));
  } catch (e) {
    document.getElementById('node-facts').replaceChildren(el('p', { class: 'bad' }, e.message));
  }
  try {
    drawServices((await call('services', 'service checks'))[name]);
  } catch (e) {
    const tr = el('tr');
    tr.append(el('td', { colspan: '5', class: 'bad' }, e.message));
    document.querySelector('#node-services tbody').replaceChildren(tr);
  }
  const tbody = document.querySelector('#node-jobs tbody');
  try {
    const page = await call(await provisioner('/jobs?limit=10&node=' + encodeURIComponent(name)), 'jobs on ' + name);
    tbody.replaceChildren(...page.jobs.map(j => {
      const tr = el('tr');
      tr.append(el('td'));
      tr.firstChild.append(jobLink(j.jobId));
      [j.kind, j.command, j.state, j.requestedBy, ago(j.createdAt)].forEach(v => tr.append(el('td', {}, v == null ? '' : String(v))));
      return tr;
    }));
    if (!page.jobs.length) {
      const tr = el('tr');
      tr.append(el('td', { colspan: '6', class: 'muted' }, 'no jobs on ' + name));
      tbody.replaceChildren(tr);
    }
  } catch (e) {
    const tr = el('tr');
    tr.append(el('td', { colspan: '6', class: 'bad' }, e.message));
    tbody.replaceChildren(tr);
  }
}

// ---- job page ----

const FAILED = ['failed', 'timed-out', 'unreachable', 'rejected'];

function drawJobStatus(status, outputs) {
  document.getElementById('job-title').textContent = 'Job ' + status.jobId.slice(0, 8) + ' — ' + status.state;
  document.getElementById('job-title').dataset.state = status.state;
  const r = status.request || {};
  document.getElementById('job-meta').textContent = (r.kind || '') + ' on ' + (r.pattern || '') + ': ' + (r.command || '') +
    (r.requestedBy ? ' — by ' + r.requestedBy : '');
  const targets = Object.values(status.targets || {});
  document.querySelector('#job-targets tbody').replaceChildren(...targets.map(t => {
    const tr = el('tr', { 'data-target': t.node, 'data-state': t.state, class: FAILED.includes(t.state) ? 'bad' : t.state === 'succeeded' ? 'ok' : '' });
    tr.append(el('td'));
    tr.firstChild.append(el('a', { href: '#/node/' + encodeURIComponent(t.node) }, t.node));
    [t.state, t.exitCode, t.via, t.durationMs == null ? '' : (t.durationMs / 1000).toFixed(1) + ' s']
      .forEach(v => tr.append(el('td', {}, v == null ? '' : String(v))));
    return tr;
  }));
  targets.forEach(t => {
    const out = outputs.get(t.node) || { seq: -1, pre: null };
    if (!out.pre) {
      const box = el('div', { class: 'output' });
      out.pre = el('pre', { 'data-output': t.node });
      box.append(el('h4', {}, t.node), out.pre);
      document.getElementById('job-output').append(box);
    }
    if (t.lastSeq != null && t.lastSeq >= out.seq) {
      out.pre.textContent = (t.stdout || '') + (t.stderr || '');
      out.seq = t.lastSeq;
    }
    outputs.set(t.node, out);
  });
  const failed = targets.filter(t => FAILED.includes(t.state)).map(t => t.node);
  const terminal = status.state !== 'running';
  document.getElementById('job-rerun').hidden = !(terminal && failed.length);
  document.getElementById('job-rerun-button').onclick = () => confirmRun('job-rerun-confirm', {
    kind: r.kind, pattern: failed.join(','), command: r.command, stdin: r.stdin, timeoutSeconds: r.timeoutSeconds,
  }, failed);
}

function appendProgress(p, outputs) {
  if (p.kind !== 'output' || p.data == null) return;
  const out = outputs.get(p.node);
  if (!out || !out.pre || p.seq <= out.seq) return;
  out.pre.textContent += p.data;
  out.seq = p.seq;
}

async function showJob(id) {
  document.getElementById('job-output').replaceChildren();
  document.querySelector('#job-targets tbody').replaceChildren();
  document.getElementById('job-rerun').hidden = true;
  document.getElementById('job-rerun-confirm').hidden = true;
  document.getElementById('job-title').textContent = 'Job ' + id.slice(0, 8);
  const outputs = new Map();
  const abort = new AbortController();
  state.jobAbort = abort;
  try {
    drawJobStatus(await call(await provisioner('/jobs/' + encodeURIComponent(id)), 'job ' + id), outputs);
    await sse(await provisioner('/jobs/' + encodeURIComponent(id) + '/events'), (name, data) => {
      const event = JSON.parse(data);
      if (name === 'status') drawJobStatus(event, outputs);
      else if (name === 'progress') appendProgress(event, outputs);
    }, abort.signal);
  } catch (e) {
    if (!abort.signal.aborted) say(e.message, 'error');
  }
}

// ---- run ----

/** Shows the hosts a request would run on and asks before it runs: nothing is sent until confirmed. */
function confirmRun(boxId, request, hosts) {
  const box = document.getElementById(boxId);
  box.hidden = false;
  const list = el('ul', { class: 'hosts' });
  hosts.forEach(h => list.append(el('li', { 'data-host': h }, h)));
  const go = el('button', { type: 'button', class: 'danger', 'data-confirm': 'run' },
    'Run ' + (request.kind === 'command_root' ? 'as root ' : '') + 'on ' + hosts.length + (hosts.length === 1 ? ' host' : ' hosts'));
  const cancel = el('button', { type: 'button' }, 'Cancel');
  box.replaceChildren(el('p', {}, request.pattern + ' selects:'), list, el('pre', {}, request.command), go, cancel);
  cancel.onclick = () => { box.hidden = true; };
  go.onclick = async () => {
    go.disabled = true;
    try {
      const status = await call(await provisioner('/jobs'), 'running on ' + request.pattern, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomKey() },
        body: JSON.stringify({ ...request, requestedBy: 'dashboard' }),
      });
      box.hidden = true;
      location.hash = '#/job/' + encodeURIComponent(status.jobId);
    } catch (e) {
      say(e.message, 'error');
      go.disabled = false;
    }
  };
}

async function previewRun(event) {
  event.preventDefault();
  say('');
  const request = {
    kind: document.getElementById('run-root').checked ? 'command_root' : 'command',
    pattern: document.getElementById('run-pattern').value.trim(),
    command: document.getElementById('run-command').value,
    timeoutSeconds: Number(document.getElementById('run-timeout').value) || 60,
  };
  try {
    const selection = await call(await provisioner('/inventory/hosts?pattern=' + encodeURIComponent(request.pattern)),
      'pattern ' + request.pattern);
    confirmRun('run-confirm', request, selection.hosts);
  } catch (e) {
    document.getElementById('run-confirm').hidden = true;
    say(e.message, 'error');
  }
}

// ---- silences ----

function parseMatchers(text) {
  return text.split('\n').map(l => l.trim()).filter(Boolean).map(line => {
    const m = /^([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*(.*)$/.exec(line);
    if (!m) throw new Error('not a matcher: "' + line + '" (name=value, name!=value, name=~regex, name!~regex)');
    return { name: m[1], value: m[3].trim(), isRegex: m[2].includes('~'), isEqual: !m[2].startsWith('!') };
  });
}

const matcherText = m => m.name + (m.isEqual ? '' : '!') + (m.isRegex ? '=~' : '=') + m.value;

function drawSilences(views) {
  const tbody = document.querySelector('#silences tbody');
  tbody.replaceChildren(...views.map(v => {
    const s = v.silence;
    const tr = el('tr', { 'data-silence': s.id, 'data-state': v.state });
    [s.id.slice(0, 8), v.state + (v.silencedAlerts.length ? ' (' + v.silencedAlerts.length + ' alerts)' : ''),
      s.matchers.map(matcherText).join(', '), v.state === 'expired' ? ago(s.endsAt) + ' ago' : 'in ' + ago2(s.endsAt),
      s.createdBy, s.comment].forEach(x => tr.append(el('td', {}, x)));
    const actions = el('td');
    if (v.state !== 'expired') actions.append(silenceButton('expire', s.id));
    actions.append(silenceButton('delete', s.id));
    tr.append(actions);
    return tr;
  }));
}

function ago2(iso) {
  const s = Math.max(0, Math.round((Date.parse(iso) - Date.now()) / 1000));
  return s < 120 ? s + ' s' : s < 7200 ? Math.round(s / 60) + ' min' : s < 172800 ? Math.round(s / 3600) + ' h' : Math.round(s / 86400) + ' d';
}

function silenceButton(action, id) {
  const b = el('button', { type: 'button', class: 'small', 'data-action': action }, action);
  b.onclick = async () => {
    try {
      await call('silences/' + encodeURIComponent(id) + (action === 'expire' ? '/expire' : ''), action + ' silence',
        { method: action === 'expire' ? 'POST' : 'DELETE' });
      say('silence ' + id.slice(0, 8) + ' ' + (action === 'expire' ? 'expired' : 'deleted'));
    } catch (e) {
      say(e.message, 'error');
    }
  };
  return b;
}

async function createSilence(event) {
  event.preventDefault();
  try {
    const body = {
      matchers: parseMatchers(document.getElementById('silence-matchers').value),
      duration: document.getElementById('silence-duration').value.trim(),
      comment: document.getElementById('silence-comment').value,
    };
    const view = await call('silences', 'silencing', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
    });
    say('silenced by ' + view.silence.createdBy + ' until ' + new Date(view.silence.endsAt).toLocaleString()
      + ' (' + view.silence.id.slice(0, 8) + ')');
    document.getElementById('silence-form').reset();
  } catch (e) {
    say(e.message, 'error');
  }
}

// ---- routing ----

function route() {
  const [path, query] = location.hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean);
  const name = parts[0] || 'overview';
  const arg = parts[1] ? decodeURIComponent(parts[1]) : null;
  if (state.jobAbort) {
    state.jobAbort.abort();
    state.jobAbort = null;
  }
  const known = ['overview', 'node', 'job', 'run', 'silences'];
  const page = known.includes(name) ? name : 'overview';
  state.page = { name: page, arg };
  document.querySelectorAll('.page').forEach(p => { p.hidden = p.id !== 'page-' + page; });
  document.querySelectorAll('[data-nav]').forEach(a => a.classList.toggle('current', a.dataset.nav === page));
  say('');
  if (page === 'node' && arg) showNode(arg);
  if (page === 'job' && arg) showJob(arg);
  if (page === 'silences' && query) {
    const q = new URLSearchParams(query);
    document.getElementById('silence-matchers').value = [...q].map(([k, v]) => k + '=' + v).join('\n');
  }
}

function setUpToken() {
  const form = document.getElementById('token-form');
  const button = document.getElementById('token-button');
  const label = () => { button.textContent = token() ? 'token ✓' : 'token'; };
  label();
  button.onclick = () => { form.hidden = !form.hidden; };
  form.onsubmit = e => {
    e.preventDefault();
    const value = document.getElementById('token-input').value.trim();
    if (value) sessionStorage.setItem(TOKEN_KEY, value);
    document.getElementById('token-input').value = '';
    form.hidden = true;
    label();
    say('');
  };
  document.getElementById('token-forget').onclick = () => {
    sessionStorage.removeItem(TOKEN_KEY);
    form.hidden = true;
    label();
  };
}

async function start() {
  setUpToken();
  document.getElementById('run-form').addEventListener('submit', previewRun);
  ['run-pattern', 'run-command', 'run-root'].forEach(id => document.getElementById(id)
    .addEventListener('input', () => { document.getElementById('run-confirm').hidden = true; }));
  document.getElementById('silence-form').addEventListener('submit', createSilence);
  window.addEventListener('hashchange', route);
  route();
  connect();
}

start();
