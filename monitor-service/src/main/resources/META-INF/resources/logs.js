// The logs page: GET /logs for a query, GET /logs/follow (server-sent events) in follow mode.
// The query lives in the address (logs.html?pattern=bettley&unit=ssh), so a node's or a unit's view
// is a link. No build step and nothing fetched from elsewhere, like the dashboard.
'use strict';

const form = document.getElementById('query');
const out = document.getElementById('lines');
const state = document.getElementById('state');
const count = document.getElementById('count');
const MAX_SHOWN = 5000;
let stream = null;

function params() {
  const p = new URLSearchParams();
  for (const name of ['pattern', 'unit', 'priority', 'grep', 'n']) {
    const value = form.elements[name].value.trim();
    if (value !== '') p.set(name, value);
  }
  return p;
}

function setState(text, live) {
  state.textContent = text;
  state.className = 'badge ' + (live ? 'live' : 'stale');
}

function time(iso) {
  const d = new Date(iso);
  return isNaN(d) ? '-' : d.toISOString().replace('T', ' ').replace('Z', '');
}

function row(line) {
  const div = document.createElement('div');
  div.className = 'p' + line.priority;
  div.dataset.node = line.node;
  div.dataset.unit = line.unit || line.identifier || '';
  const node = document.createElement('span');
  node.className = 'node';
  node.textContent = line.node;
  const unit = document.createElement('span');
  unit.className = 'unit';
  unit.textContent = (line.identifier || line.unit || '-') + (line.pid ? '[' + line.pid + ']' : '');
  div.append(time(line.time) + ' ', node, ' ', unit, ': ' + line.message
      + (line.truncated ? ' [truncated: ' + line.truncated + ' bytes]' : ''));
  return div;
}

function append(lines) {
  const atBottom = out.scrollTop + out.clientHeight >= out.scrollHeight - 4;
  for (const line of lines) out.appendChild(row(line));
  while (out.childElementCount > MAX_SHOWN) out.firstElementChild.remove();
  count.textContent = out.childElementCount + ' lines';
  if (atBottom) out.scrollTop = out.scrollHeight;
}

function stop() {
  if (stream) { stream.close(); stream = null; }
}

async function show() {
  stop();
  const p = params();
  history.replaceState(null, '', 'logs.html?' + p.toString() + (form.elements.follow.checked ? '&follow=1' : ''));
  out.replaceChildren();
  if (form.elements.follow.checked) {
    setState('connecting…', false);
    stream = new EventSource('logs/follow?' + p.toString());
    stream.addEventListener('open', () => setState('following', true));
    stream.addEventListener('lines', e => append(JSON.parse(e.data)));
    stream.addEventListener('error', e => {
      if (e.data) setState(JSON.parse(e.data).error, false);
      else setState('reconnecting…', false);
    });
    return;
  }
  setState('loading…', false);
  const response = await fetch('logs?' + p.toString(), { headers: { Accept: 'application/json' } });
  const body = await response.json();
  if (!response.ok) { setState(body.error || ('HTTP ' + response.status), false); return; }
  append(body.lines);
  setState(body.truncated ? 'more lines matched: narrow the query' : 'done', !body.truncated);
}

form.addEventListener('submit', e => { e.preventDefault(); show(); });
form.elements.follow.addEventListener('change', show);

const initial = new URLSearchParams(location.search);
for (const name of ['pattern', 'unit', 'priority', 'grep', 'n']) {
  if (initial.has(name)) form.elements[name].value = initial.get(name);
}
form.elements.follow.checked = initial.get('follow') === '1';
show();
