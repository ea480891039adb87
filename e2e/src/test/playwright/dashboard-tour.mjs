// A click-through of the dashboard in Debian's headless chromium, driven by playwright-core (no
// browser download). Run by e2e's DashboardPlaywrightIT against a real monitor, provisioner and
// agent; it prints one JSON line of what it created, and exits non-zero with the reason on failure.
// A line KILL-AGENT-NOW or WRITE-LOG-LINE-NOW on its output asks the test to act.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const env = name => {
  const value = process.env[name];
  if (!value) throw new Error('environment variable ' + name + ' is required');
  return value;
};
const DASHBOARD = env('DASHBOARD_URL');
const OPERATOR_TOKEN = env('OPERATOR_TOKEN');
const SHOTS = env('SCREENSHOTS');
const NODE = env('NODE');
const PATTERN = env('PATTERN');
const HOSTS = env('HOSTS').split(',');
const T = 30000;

const check = (ok, what) => { if (!ok) throw new Error(what); };
const profile = mkdtempSync(join(tmpdir(), 'goldentooth-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-background-networking', '--disable-dev-shm-usage'],
  viewport: { width: 1280, height: 900 },
});
const result = {};
const page = context.pages()[0] || await context.newPage();
const consoleErrors = [];
page.on('pageerror', e => consoleErrors.push(String(e)));
const shot = name => page.screenshot({ path: join(SHOTS, 'dashboard-' + name + '.png'), fullPage: true });
const noHorizontalScroll = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);

try {
  // Without a token the monitor refuses the stream, and the page says what to do.
  await page.goto(DASHBOARD);
  await page.waitForFunction(() => /enter a token/.test(document.getElementById('message').textContent), null, { timeout: T });
  check(await page.isHidden('#token-form'), 'the token form shows before it is asked for');

  // The operator's token, kept for this tab only; the stream then comes through.
  await page.click('#token-button');
  await page.fill('#token-input', OPERATOR_TOKEN);
  await page.click('#token-form button[type=submit]');
  check((await page.textContent('#token-button')).includes('✓'), 'the token was not kept');
  check(await page.evaluate(() => sessionStorage.getItem('goldentooth.token')) === OPERATOR_TOKEN, 'token not in sessionStorage');

  // Overview: the node's tile over SSE.
  await page.waitForSelector(`[data-node="${NODE}"][data-liveness="up"]`, { timeout: T });
  await shot('overview');

  // Node page: facts, seven charts (CPU and network from the facts' counters), the services panel, the logs hook.
  await page.click(`[data-node="${NODE}"] h3 a`);
  await page.waitForSelector('#page-node:not([hidden]) #node-facts [data-fact="collected"]', { timeout: T });
  await page.waitForFunction(() => document.querySelectorAll('#node-charts [data-chart]').length === 7, null, { timeout: T });
  // A rate needs two facts: the CPU and network labels turn from '–' to figures over the stream.
  await page.waitForFunction(() => {
    const label = key => (document.querySelector(`#node-charts [data-chart="${key}"] .label`) || {}).textContent || '';
    return /busy: \d+ %/.test(label('cpuBusyRatio')) && /received: \d+(\.\d)? (B|KiB|MiB|GiB)\/s/.test(label('networkReceiveBytesPerSecond'))
      && /sent: \d+(\.\d)? (B|KiB|MiB|GiB)\/s/.test(label('networkTransmitBytesPerSecond'));
  }, null, { timeout: T });
  check(await page.$('#node-charts [data-chart="cpuBusyRatio"] g[data-series] circle') !== null, 'no CPU sample drawn');
  await page.waitForSelector('#node-services tr[data-service="ports"][data-state="ok"]', { timeout: T });
  const vault = await page.$eval('#node-services tr[data-service="vault"]', tr => [tr.dataset.state, tr.children[3].textContent]);
  check(vault[0] === 'unknown' && vault[1].length > 0, 'vault check shown as ' + JSON.stringify(vault));
  check(await page.isVisible('#node-logs[data-hook="node.logs"]'), 'the node page has no logs slot');
  check((await page.textContent('#node-title')).startsWith(NODE), 'node title');
  await shot('node');

  // Logs: the node's "tour" unit (a log file its agent ships) on the logs page, with the tab's token;
  // then follow mode shows a line written after the page opened, without a reload.
  await page.goto(DASHBOARD + 'logs.html?pattern=' + NODE + '&unit=tour');
  await page.waitForFunction(() => /tour line one/.test(document.getElementById('lines').innerText), null, { timeout: T });
  const logged = await page.innerText('#lines');
  check(!/other line/.test(logged), 'another unit\'s line is shown: ' + logged);
  check(await page.getAttribute('#lines div', 'data-node') === NODE, 'a line not tagged with its node');
  check(await page.getAttribute('#lines div', 'data-unit') === 'tour', 'a line not tagged with its unit');
  check(await page.evaluate(() => window.__sameDocument = 'logs') === 'logs', 'marker');
  await page.check('[name=follow]');
  await page.waitForFunction(() => document.getElementById('state').textContent === 'following', null, { timeout: T });
  check((await page.evaluate(() => location.search)).includes('follow=1'), 'follow is not in the address');
  console.log('WRITE-LOG-LINE-NOW');
  await page.waitForFunction(() => /tour line two/.test(document.getElementById('lines').innerText), null, { timeout: T });
  check(await page.getAttribute('#lines div:last-child', 'class') === 'p3', 'the ERROR line is not shown as an error');
  check(await page.evaluate(() => window.__sameDocument) === 'logs', 'the logs page was reloaded');
  await shot('logs-follow');
  await page.uncheck('[name=follow]');
  await page.goto(DASHBOARD);
  await page.waitForSelector(`[data-node="${NODE}"][data-liveness="up"]`, { timeout: T });

  // Run: the hosts first, nothing runs before the confirmation.
  await page.click('[data-nav="run"]');
  await page.fill('#run-pattern', PATTERN);
  await page.fill('#run-command', 'for i in 1 2 3 4; do echo line-$i; sleep 1; done');
  await page.click('#run-preview');
  await page.waitForSelector('#run-confirm:not([hidden]) li[data-host]', { timeout: T });
  const shown = await page.$$eval('#run-confirm li[data-host]', lis => lis.map(li => li.dataset.host));
  check(JSON.stringify(shown) === JSON.stringify(HOSTS), 'resolved hosts ' + shown + ', expected ' + HOSTS);
  await shot('run-confirm');
  await page.click('#run-confirm [data-confirm="run"]');
  await page.waitForFunction(() => location.hash.startsWith('#/job/'), null, { timeout: T });
  result.jobId = decodeURIComponent(await page.evaluate(() => location.hash.slice('#/job/'.length)));

  // Job page: output arrives while the job still runs, then the job succeeds on every host.
  await page.waitForFunction(node => {
    const pre = document.querySelector(`pre[data-output="${node}"]`);
    return pre && pre.textContent.includes('line-1')
      && document.getElementById('job-title').dataset.state === 'running';
  }, HOSTS[0], { timeout: T });
  result.sawOutputWhileRunning = true;
  await page.waitForFunction(() => document.getElementById('job-title').dataset.state === 'succeeded', null, { timeout: T });
  for (const host of HOSTS) {
    const text = await page.textContent(`pre[data-output="${host}"]`);
    check(text === 'line-1\nline-2\nline-3\nline-4\n', host + ' output was ' + JSON.stringify(text));
    check(await page.getAttribute(`tr[data-target="${host}"]`, 'data-state') === 'succeeded', host + ' state');
  }
  check(await page.isHidden('#job-rerun'), 'no re-run offered for a job without failures');
  await shot('job');

  // Re-run on failed targets: a job failing everywhere offers its failed hosts again.
  await page.click('[data-nav="run"]');
  await page.fill('#run-command', 'echo failing; exit 3');
  await page.click('#run-preview');
  await page.click('#run-confirm [data-confirm="run"]');
  await page.waitForFunction(() => document.getElementById('job-title').dataset.state === 'failed', null, { timeout: T });
  await page.click('#job-rerun-button');
  const again = await page.$$eval('#job-rerun-confirm li[data-host]', lis => lis.map(li => li.dataset.host));
  check(JSON.stringify(again) === JSON.stringify(HOSTS), 're-run offered ' + again);
  const failedJob = await page.evaluate(() => location.hash);
  await page.click('#job-rerun-confirm [data-confirm="run"]');
  await page.waitForFunction(previous => location.hash.startsWith('#/job/') && location.hash !== previous, failedJob, { timeout: T });
  await page.waitForFunction(() => document.getElementById('job-title').dataset.state === 'failed', null, { timeout: T });
  result.rerunJobId = decodeURIComponent(await page.evaluate(() => location.hash.slice('#/job/'.length)));

  // command_root needs admin: the operator is refused by the provisioner, and the page says so.
  await page.click('[data-nav="run"]');
  await page.fill('#run-command', 'id -u');
  await page.check('#run-root');
  await page.click('#run-preview');
  await page.click('#run-confirm [data-confirm="run"]');
  await page.waitForSelector('#message.error', { timeout: T });
  const refusal = await page.textContent('#message');
  check(refusal.includes('refused') && refusal.includes('admin'), 'command_root refusal: ' + refusal);
  check(await page.evaluate(() => location.hash) === '#/run', 'a refused run left the run page');
  await page.uncheck('#run-root');

  // Silence: authored by the token's name, listed as active.
  await page.click('[data-nav="silences"]');
  await page.fill('#silence-matchers', 'alertname=DashboardTourAlert\nnode=' + NODE);
  await page.fill('#silence-duration', '1h');
  await page.fill('#silence-comment', 'planned work from the dashboard');
  await page.click('#silence-form button[type=submit]');
  await page.waitForSelector('#silences tr[data-state="active"]', { timeout: T });
  result.silenceId = await page.getAttribute('#silences tr[data-state="active"]', 'data-silence');
  result.silenceMessage = await page.textContent('#message');
  // A bad silence is refused with the reason.
  await page.fill('#silence-matchers', 'node=~(');
  await page.fill('#silence-duration', '1h');
  await page.fill('#silence-comment', 'broken');
  await page.click('#silence-form button[type=submit]');
  await page.waitForFunction(() => /not a regular expression/.test(document.getElementById('message').textContent), null, { timeout: T });
  await shot('silences');

  // The agent stops (the test kills it once this line is printed): the tile turns down over the
  // stream, without a reload, within the liveness window.
  await page.evaluate(() => { location.hash = '#/'; window.__sameDocument = 'marker'; });
  await page.waitForSelector(`[data-node="${NODE}"][data-liveness="up"]`, { timeout: T });
  console.log('KILL-AGENT-NOW');
  const stoppedAt = Date.now();
  await page.waitForSelector(`[data-node="${NODE}"].down`, { timeout: 45000 });
  result.downAfterMs = Date.now() - stoppedAt;
  check(await page.evaluate(() => window.__sameDocument) === 'marker', 'the page was reloaded');
  result.downLiveness = await page.getAttribute(`[data-node="${NODE}"]`, 'data-liveness');
  await shot('node-down');

  // A phone-sized screen: no page scrolls sideways.
  await page.setViewportSize({ width: 390, height: 844 });
  for (const [name, hash] of [['overview', '#/'], ['node', '#/node/' + NODE], ['job', '#/job/' + result.jobId],
    ['run', '#/run'], ['silences', '#/silences']]) {
    await page.evaluate(h => { location.hash = h; }, hash);
    await page.waitForSelector(`#page-${name}:not([hidden])`, { timeout: T });
    await page.waitForTimeout(300);
    check(await noHorizontalScroll(), name + ' scrolls sideways at 390 px');
    await shot('phone-' + name);
  }
  check(consoleErrors.length === 0, 'script errors on the page: ' + consoleErrors.join('; '));
  console.log(JSON.stringify(result));
} catch (e) {
  await shot('failure').catch(() => {});
  console.error('dashboard tour failed: ' + (e && e.stack || e));
  process.exitCode = 1;
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
