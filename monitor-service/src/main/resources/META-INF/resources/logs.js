// The logs page: GET /logs for a query, GET /logs/follow (server-sent events) in follow mode.
// The query lives in the address (logs.html?pattern=bettley&unit=ssh), so a node's or a unit's view
// is a link. No build step and nothing fetched from elsewhere, like the dashboard. With
// authentication on, the token the dashboard keeps for this tab (sessionStorage) goes with every
// request; the stream is read through fetch (sse.js), since EventSource cannot send the header.
'use strict';

const form = document.getElementById('query');
const out = document.getElementById('lines');
const state = document.getElementById('state');
const count = document.getElementById('count');
const MAX_SHOWN = 5000;
let stream = null;

const token = () => sessionStorage.getItem('goldentooth.token');
const headers = accept => ({ Accept: accept, ...(token() ? { Authorization: 'Bearer ' + token() } : {}) });

/** The refusal's sentence: what the server said, and what to do about a missing or weak token. */
async function refusal(response) {
  let detail = '';
  try { detail = (await response.json()).error || ''; } catch (e) { /* not JSON */ }
  const why = response.status === 401 ? 'authentication needed: enter a token on the dashboard'
    : response.status === 403 ? 'refused for this token\'s role' : 'HTTP ' + response.status;
  return why + (detail ? ' — ' + detail : '');
}

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
  if (stream) { stream.abort(); stream = null; }
}

/** Follows the query until stopped; after a dropped stream it connects again (the server resends the last lines). */
async function follow(p, signal) {
  while (!signal.aborted) {
    setState('connecting…', false);
    try {
      const response = await fetch('logs/follow?' + p.toString(), { headers: headers('text/event-stream'), signal });
      if (!response.ok) { setState(await refusal(response), false); return; }
      setState('following', true);
      out.replaceChildren();
      let refused = false;
      await readEvents(response, (name, data) => {
        if (name === 'lines') append(JSON.parse(data));
        else if (name === 'error') { setState(JSON.parse(data).error, false); refused = true; }
      });
      if (refused) return;
    } catch (e) {
      if (signal.aborted) return;
    }
    setState('reconnecting…', false);
    await new Promise(resolve => setTimeout(resolve, 2000));
  }
}

async function show() {
  stop();
  const p = params();
  history.replaceState(null, '', 'logs.html?' + p.toString() + (form.elements.follow.checked ? '&follow=1' : ''));
  out.replaceChildren();
  if (form.elements.follow.checked) {
    stream = new AbortController();
    follow(p, stream.signal);
    return;
  }
  setState('loading…', false);
  let response;
  try {
    response = await fetch('logs?' + p.toString(), { headers: headers('application/json') });
  } catch (e) {
    setState('no answer (' + e.message + '); is the monitor up?', false);
    return;
  }
  if (!response.ok) { setState(await refusal(response), false); return; }
  const body = await response.json();
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
