// AgentSphere Gateway dashboard. Reads /admin/status and /admin/alerts every 5 s (the seed's refresh rate) with the
// admin cookie and draws its own charts: the page's Content-Security-Policy allows only its own script and styles,
// so there is no library, no CDN, no inline script and no style attribute (sizes and colours come from classes).
'use strict';

(() => {
  const REFRESH_MS = 5000;
  const HISTORY_POINTS = 60; // five minutes of trend at one point per refresh
  const ERROR_RATE_TARGET = 1; // percent: the seed's error-rate target
  const DASH = '—';
  const METRICS = {
    SystemMemory: 'System memory',
    SystemCpu: 'System CPU',
    GatewayMemory: 'Gateway memory',
    ActiveSandboxes: 'Active sandboxes',
    ResponseTime: 'Response time (P95)',
  };
  // Where an alert in force shows its level, besides the alert list.
  const ALERT_TARGETS = {
    SystemMemory: 'gauge-system-memory',
    SystemCpu: 'gauge-system-cpu',
    GatewayMemory: 'gauge-gateway-memory',
    ActiveSandboxes: 'tile-active-sandboxes',
    ResponseTime: 'tile-p95',
  };

  const history = [];
  let lastStatus = null;

  const byId = (id) => document.getElementById(id);
  const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);

  // ---- formatting ------------------------------------------------------------------------------------------------
  const isNumber = (v) => typeof v === 'number' && Number.isFinite(v);
  const num = (v, digits = 0) => isNumber(v) ? v.toLocaleString(undefined, { maximumFractionDigits: digits }) : DASH;
  const pct = (v, digits = 1) => isNumber(v) ? `${num(v, digits)} %` : DASH;
  const ms = (v) => {
    if (!isNumber(v)) return DASH;
    if (v >= 10000) return `${num(v / 1000, 1)} s`;
    return `${num(v, v < 10 ? 2 : v < 100 ? 1 : 0)} ms`;
  };
  const clock = (value) => value ? new Date(value).toLocaleTimeString(undefined, { hour12: false }) : DASH;
  const two = (n) => String(n).padStart(2, '0');
  const duration = (seconds) => {
    const s = Math.floor(seconds || 0);
    const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
    if (d) return `${d}d ${h}h`;
    if (h) return `${h}h ${two(m)}m`;
    return m ? `${m}m ${two(s % 60)}s` : `${s % 60}s`;
  };
  const withUnit = (v, unit) => {
    switch (unit) {
      case '%': return pct(v);
      case 'ms': return ms(v);
      case 'MB': return `${num(v, 1)} MB`;
      default: return `${num(v, 1)} ${unit}`;
    }
  };

  function describeTransition(h) {
    switch (h.transition) {
      case 'Raised': return `Raised: ${h.level}`;
      case 'Resolved': return `Resolved (was ${h.previousLevel})`;
      case 'DeEscalated': return `De-escalated: ${h.previousLevel} → ${h.level}`;
      default: return `${h.transition}: ${h.previousLevel} → ${h.level}`;
    }
  }

  // ---- DOM helpers -----------------------------------------------------------------------------------------------
  function show(testId, value, text) {
    const el = byTestId(testId);
    el.textContent = text;
    el.dataset.value = isNumber(value) ? String(value) : '';
  }

  function setLevel(el, level) {
    if (!el) return;
    el.classList.remove('level-warning', 'level-critical', 'level-emergency', 'level-ok');
    if (level) el.classList.add(`level-${level.toLowerCase()}`);
  }

  function cell(tag, text, field, value, className) {
    const el = document.createElement(tag);
    el.textContent = text;
    if (tag === 'th') el.scope = 'row';
    if (field) el.dataset.field = field;
    if (value !== undefined && value !== null) el.dataset.value = String(value);
    if (className) el.className = className;
    return el;
  }

  function fillTable(tableId, rows, emptyText) {
    const body = byId(tableId).tBodies[0];
    if (rows.length) {
      body.replaceChildren(...rows);
      return;
    }
    const empty = document.createElement('tr');
    empty.className = 'empty';
    const td = cell('td', emptyText);
    td.colSpan = byId(tableId).tHead.rows[0].cells.length;
    empty.append(td);
    body.replaceChildren(empty);
  }

  // ---- rendering -------------------------------------------------------------------------------------------------
  function renderStatus(status) {
    const k = status.kpis;
    const r = status.resources;
    byId('gateway-status').textContent = status.status;
    byId('shared-state').textContent = status.sharedState;
    setLevel(byId('shared-state'), status.sharedState === 'local-fallback' ? 'Warning' : null);
    byId('kpi-window').textContent = `(last ${num(k.windowSeconds)} s)`;

    show('kpi-active-sandboxes', r.activeSandboxes, num(r.activeSandboxes));
    show('kpi-requests', k.requests, num(k.requests));
    show('kpi-rps', k.requestsPerSecond, num(k.requestsPerSecond, 2));
    show('kpi-opm', k.operationsPerMinute, num(k.operationsPerMinute, 1));
    show('kpi-avg', k.averageMilliseconds, ms(k.averageMilliseconds));
    show('kpi-p50', k.p50Milliseconds, ms(k.p50Milliseconds));
    show('kpi-p95', k.p95Milliseconds, ms(k.p95Milliseconds));
    show('kpi-p99', k.p99Milliseconds, ms(k.p99Milliseconds));
    show('kpi-error-rate', k.errorRatePercent, pct(k.errorRatePercent, 2));
    show('kpi-success-rate', k.successRatePercent, pct(k.successRatePercent, 2));
    show('kpi-callers', k.concurrentCallers, num(k.concurrentCallers));
    show('kpi-uptime', k.uptimeSeconds, duration(k.uptimeSeconds));
    setLevel(byId('tile-error-rate'), k.errorRatePercent >= ERROR_RATE_TARGET ? 'Warning' : null);

    show('res-system-cpu', r.systemCpuPercent, pct(r.systemCpuPercent));
    show('res-system-memory', r.systemMemoryPercent, pct(r.systemMemoryPercent));
    show('res-gateway-cpu', r.gatewayCpuPercent, pct(r.gatewayCpuPercent));
    show('res-gateway-memory', r.gatewayWorkingSetMegabytes, `${num(r.gatewayWorkingSetMegabytes, 1)} MB`);
    show('res-gateway-heap', r.gatewayHeapMegabytes, `${num(r.gatewayHeapMegabytes, 1)} MB`);
    byId('meter-system-cpu').value = r.systemCpuPercent || 0;
    byId('meter-system-memory').value = r.systemMemoryPercent || 0;
    byId('meter-gateway-cpu').value = Math.min(r.gatewayCpuPercent || 0, 100);

    const c = status.cache;
    show('cache-hit-ratio', c.hitRatioPercent, isNumber(c.hitRatioPercent) ? pct(c.hitRatioPercent) : 'no lookups yet');
    show('cache-hits', c.l1Hits + c.l2Hits + c.redisHits, `${num(c.l1Hits)} / ${num(c.l2Hits)} / ${num(c.redisHits)}`);
    show('cache-misses', c.misses, num(c.misses));
    show('cache-entries', c.l1Entries + c.l2Entries, `${num(c.l1Entries)} / ${num(c.l2Entries)}`);
    const waiting = status.admission.waiting;
    const totalWaiting = Object.values(waiting).reduce((a, b) => a + b, 0);
    show('admission-in-service', status.admission.inService, num(status.admission.inService));
    show('admission-waiting', totalWaiting, ['critical', 'high', 'normal', 'low'].map((p) => num(waiting[p])).join(' / '));

    const cfg = status.configuration;
    show('config-path', null, cfg.yarpPath);
    show('config-loads', cfg.successfulLoads, num(cfg.successfulLoads));
    show('config-error', null, cfg.lastError ? `${cfg.lastError} (${clock(cfg.lastErrorAt)})` : 'none');
    setLevel(byTestId('config-error'), cfg.lastError ? 'Critical' : null);

    fillTable('ops-table', k.operations.map((op) => {
      const row = document.createElement('tr');
      row.dataset.operation = op.operation;
      row.append(
        cell('th', op.operation, 'operation'),
        cell('td', num(op.requests), 'requests', op.requests, 'num'),
        cell('td', num(op.requestsPerSecond, 2), 'rps', op.requestsPerSecond, 'num'),
        cell('td', op.errors ? `${num(op.errors)} (${pct(op.errorRatePercent, 2)})` : '0', 'errors', op.errors, op.errors ? 'num bad' : 'num'),
        cell('td', ms(op.averageMilliseconds), 'avg', op.averageMilliseconds, 'num'),
        cell('td', ms(op.p50Milliseconds), 'p50', op.p50Milliseconds, 'num'),
        cell('td', ms(op.p95Milliseconds), 'p95', op.p95Milliseconds, 'num'),
        cell('td', ms(op.p99Milliseconds), 'p99', op.p99Milliseconds, 'num'));
      return row;
    }), 'No requests in the window yet.');

    const fraction = (v) => isNumber(v) ? pct(v * 100, 0) : DASH;
    fillTable('backends-table', status.backends.map((b) => {
      const row = document.createElement('tr');
      row.dataset.destination = b.destinationId;
      row.append(
        cell('th', b.destinationId, 'destination'),
        cell('td', b.healthy ? 'healthy' : 'unhealthy', 'healthy', b.healthy, b.healthy ? 'ok' : 'bad'),
        cell('td', b.activeHealth, 'active-health'),
        cell('td', b.passiveHealth, 'passive-health'),
        cell('td', num(b.listScore, 1), 'list-score', b.listScore, 'num'),
        cell('td', fraction(b.cpu), 'cpu', b.cpu, 'num'),
        cell('td', fraction(b.memory), 'memory', b.memory, 'num'),
        cell('td', num(b.queueLength), 'queue', b.queueLength, 'num'),
        cell('td', num(b.inFlight), 'in-flight', b.inFlight, 'num'),
        cell('td', num(b.activeSandboxes), 'sandboxes', b.activeSandboxes, 'num'));
      return row;
    }), 'No backends configured.');
  }

  function renderAlerts(alerts) {
    const list = byId('alerts-active');
    const active = new Map(alerts.active.map((a) => [a.metric, a]));
    for (const [metric, target] of Object.entries(ALERT_TARGETS)) {
      setLevel(byId(target), active.get(metric)?.level);
    }
    byId('alerts-evaluated').textContent = alerts.enabled
      ? `(evaluated ${clock(alerts.lastEvaluatedAt)})`
      : '(alerting is disabled)';

    const items = alerts.active.map((a) => {
      const li = document.createElement('li');
      li.className = `alert level-${a.level.toLowerCase()}`;
      li.dataset.metric = a.metric;
      li.dataset.level = a.level;
      const level = document.createElement('strong');
      level.textContent = a.level;
      const text = document.createElement('span');
      text.textContent = `${METRICS[a.metric] || a.metric}: ${withUnit(a.value, a.unit)} (threshold ${withUnit(a.threshold, a.unit)}), since ${clock(a.levelSince)}`;
      li.append(level, text);
      return li;
    });
    if (!items.length) {
      const none = document.createElement('li');
      none.className = 'none';
      none.textContent = 'No active alerts.';
      items.push(none);
    }
    list.replaceChildren(...items);

    fillTable('alerts-history', alerts.history.map((h) => {
      const row = document.createElement('tr');
      row.dataset.metric = h.metric;
      row.append(
        cell('td', clock(h.timestamp), 'time'),
        cell('td', METRICS[h.metric] || h.metric, 'metric'),
        cell('td', describeTransition(h), 'transition', null, `level-${h.level.toLowerCase()}`),
        cell('td', withUnit(h.value, h.unit), 'value', h.value, 'num'),
        cell('td', withUnit(h.threshold, h.unit), 'threshold', h.threshold, 'num'));
      return row;
    }), 'No alert changes yet.');
  }

  // ---- charts ----------------------------------------------------------------------------------------------------
  const cssVar = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

  function prepare(canvas) {
    const ratio = window.devicePixelRatio || 1;
    const w = canvas.clientWidth, h = canvas.clientHeight;
    if (canvas.width !== Math.round(w * ratio) || canvas.height !== Math.round(h * ratio)) {
      canvas.width = Math.round(w * ratio);
      canvas.height = Math.round(h * ratio);
    }
    const ctx = canvas.getContext('2d');
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, w, h);
    ctx.font = `12px ${cssVar('--font')}`;
    ctx.lineJoin = 'round';
    return { ctx, w, h };
  }

  // The smallest 1, 2 or 5 × 10ⁿ at or above v, so the axis reads in round numbers.
  function niceCeiling(v) {
    if (!(v > 0)) return 1;
    const p = 10 ** Math.floor(Math.log10(v));
    const m = v / p;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
  }

  function line(ctx, x1, y1, x2, y2) {
    ctx.beginPath();
    ctx.moveTo(x1, y1);
    ctx.lineTo(x2, y2);
    ctx.stroke();
  }

  // A time-series chart over the last HISTORY_POINTS refreshes: x is time (newest at the right edge), y starts at 0.
  function lineChart(canvas, series, format, target) {
    const { ctx, w, h } = prepare(canvas);
    const pad = { left: 64, right: 12, top: 10, bottom: 22 };
    const pw = w - pad.left - pad.right, ph = h - pad.top - pad.bottom;
    let max = target ? target * 1.5 : 0;
    for (const point of history) for (const s of series) max = Math.max(max, point[s.key]);
    max = niceCeiling(max);
    const y = (v) => pad.top + ph - (ph * v) / max;

    ctx.lineWidth = 1;
    ctx.strokeStyle = cssVar('--grid');
    ctx.fillStyle = cssVar('--muted');
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (let i = 0; i <= 4; i++) {
      const v = (max * i) / 4;
      line(ctx, pad.left, y(v), pad.left + pw, y(v));
      ctx.fillText(format(v), pad.left - 6, y(v));
    }
    if (target) {
      ctx.strokeStyle = cssVar('--target');
      ctx.setLineDash([5, 4]);
      line(ctx, pad.left, y(target), pad.left + pw, y(target));
      ctx.setLineDash([]);
    }
    ctx.textBaseline = 'alphabetic';
    if (!history.length) {
      ctx.textAlign = 'center';
      ctx.fillText('waiting for data…', pad.left + pw / 2, pad.top + ph / 2);
      return;
    }

    const end = history[history.length - 1].t;
    const span = (HISTORY_POINTS - 1) * REFRESH_MS;
    const x = (t) => pad.left + pw - (pw * (end - t)) / span;
    ctx.textAlign = 'left';
    ctx.fillText(clock(end - span), pad.left, h - 6);
    ctx.textAlign = 'right';
    ctx.fillText(clock(end), pad.left + pw, h - 6);

    ctx.lineWidth = 2;
    for (const s of series) {
      const color = cssVar(s.color);
      ctx.strokeStyle = color;
      ctx.fillStyle = color;
      ctx.beginPath();
      history.forEach((point, i) => (i ? ctx.lineTo : ctx.moveTo).call(ctx, x(point.t), y(point[s.key])));
      ctx.stroke();
      const last = history[history.length - 1];
      ctx.beginPath();
      ctx.arc(x(last.t), y(last[s.key]), 3, 0, 2 * Math.PI);
      ctx.fill();
    }
  }

  // Horizontal bars of requests per operation, the failed part of each bar in the error colour.
  function barChart(canvas, operations) {
    const { ctx, w, h } = prepare(canvas);
    ctx.fillStyle = cssVar('--muted');
    ctx.textBaseline = 'middle';
    if (!operations.length) {
      ctx.textAlign = 'center';
      ctx.fillText('no requests in the window', w / 2, h / 2);
      return;
    }
    const labelWidth = 80, valueWidth = 56;
    const rowHeight = Math.min(28, h / operations.length);
    const max = Math.max(...operations.map((op) => op.requests), 1);
    operations.forEach((op, i) => {
      const mid = i * rowHeight + rowHeight / 2;
      const barWidth = ((w - labelWidth - valueWidth) * op.requests) / max;
      const barHeight = Math.max(rowHeight - 8, 4);
      ctx.fillStyle = cssVar('--text');
      ctx.textAlign = 'right';
      ctx.fillText(op.operation, labelWidth - 8, mid);
      ctx.fillStyle = cssVar('--bar');
      ctx.fillRect(labelWidth, mid - barHeight / 2, barWidth, barHeight);
      ctx.fillStyle = cssVar('--error');
      ctx.fillRect(labelWidth, mid - barHeight / 2, (barWidth * op.errors) / Math.max(op.requests, 1), barHeight);
      ctx.fillStyle = cssVar('--text');
      ctx.textAlign = 'left';
      ctx.fillText(num(op.requests), labelWidth + barWidth + 6, mid);
    });
  }

  function drawCharts() {
    lineChart(byId('latency-chart'), [
      { key: 'p50', color: '--p50' },
      { key: 'p95', color: '--p95' },
      { key: 'p99', color: '--p99' },
    ], ms, null);
    lineChart(byId('error-chart'), [{ key: 'errorRate', color: '--error' }], (v) => pct(v, 2), ERROR_RATE_TARGET);
    barChart(byId('ops-chart'), lastStatus ? lastStatus.kpis.operations : []);

    const last = history[history.length - 1];
    if (last) {
      const minutes = num((last.t - history[0].t) / 60000, 1);
      byId('latency-chart').setAttribute('aria-label',
        `Response time over the last ${minutes} min; now P50 ${ms(last.p50)}, P95 ${ms(last.p95)}, P99 ${ms(last.p99)}`);
      byId('error-chart').setAttribute('aria-label', `Error rate over the last ${minutes} min; now ${pct(last.errorRate, 2)}`);
    }
    if (lastStatus) {
      byId('ops-chart').setAttribute('aria-label', 'Requests per operation: ' +
        (lastStatus.kpis.operations.map((op) => `${op.operation} ${op.requests}`).join(', ') || 'none'));
    }
  }

  // ---- refresh loop ----------------------------------------------------------------------------------------------
  async function getJson(path) {
    const response = await fetch(path, { credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'application/json' } });
    if (!response.ok) {
      const error = new Error(`${path} answered HTTP ${response.status}`);
      error.status = response.status;
      throw error;
    }
    return response.json();
  }

  function showFailure(error) {
    const banner = byId('error-banner');
    banner.textContent = error.status === 401 || error.status === 403
      ? 'Admin token required: open /dashboard?token=<admin token> (the gateway prints it at start-up; it is Management:AdminToken).'
      : `Could not refresh: ${error.message}. Showing the last data received; retrying every ${REFRESH_MS / 1000} s.`;
    banner.hidden = false;
    byId('last-updated').classList.add('stale');
  }

  async function update() {
    let status, alerts;
    try {
      [status, alerts] = await Promise.all([getJson('/admin/status'), getJson('/admin/alerts')]);
    } catch (error) {
      showFailure(error);
      return;
    }

    const k = status.kpis;
    history.push({ t: Date.parse(k.timestamp), p50: k.p50Milliseconds, p95: k.p95Milliseconds, p99: k.p99Milliseconds, errorRate: k.errorRatePercent });
    if (history.length > HISTORY_POINTS) history.shift();
    lastStatus = status;
    renderStatus(status);
    renderAlerts(alerts);
    drawCharts();

    byId('error-banner').hidden = true;
    const updated = byId('last-updated');
    updated.classList.remove('stale');
    updated.dateTime = k.timestamp;
    updated.textContent = clock(k.timestamp);
  }

  async function refresh() {
    try {
      await update();
    } finally {
      setTimeout(refresh, REFRESH_MS);
    }
  }

  window.addEventListener('resize', drawCharts);
  drawCharts();
  refresh();
})();
