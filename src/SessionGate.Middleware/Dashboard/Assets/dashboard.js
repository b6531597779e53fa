// SessionGate quota dashboard: plain JavaScript, no dependencies, no inline script (the page's CSP
// forbids it). Every value from the API reaches the page through textContent or setAttribute, never
// as markup. The admin key lives in sessionStorage (this tab only) and is sent as a bearer credential.
'use strict';

(() => {
  const KeyStorage = 'sessiongate.adminKey';
  const PollMilliseconds = 1000; // the issue asks for updates at least every 2 s
  const RequestTimeoutMilliseconds = 8000;
  const KeysPageSize = 50;
  const SvgNamespace = 'http://www.w3.org/2000/svg';
  // The admin key's shape (docs/admin-api.md): 16–512 printable ASCII characters, no spaces.
  const ApiKeyShape = /^[\x21-\x7e]{16,512}$/;
  // A complete bech32 address: prefix, separator '1', at least 38 data characters (20-byte payload + checksum).
  const AddressShape = /^[a-z0-9]{1,83}1[02-9ac-hj-np-z]{38,}$/;

  const $ = (id) => document.getElementById(id);
  const ui = {
    status: $('status'), signOut: $('sign-out'),
    login: $('login'), loginForm: $('login-form'), loginMessage: $('login-message'), apiKey: $('api-key'), loginSubmit: $('login-submit'),
    dashboard: $('dashboard'), windowSeconds: $('window-seconds'),
    totalRequests: $('total-requests'), totalRejected: $('total-rejected'), totalShadow: $('total-shadow'), totalRate: $('total-rate'), totalAccounts: $('total-accounts'),
    overall: $('overall-sparkline'), updatedAt: $('updated-at'),
    search: $('search'), lookup: $('lookup'), lookupText: $('lookup-text'), lookupButton: $('lookup-button'),
    rows: $('account-rows'), empty: $('empty'),
  };
  const numbers = new Intl.NumberFormat();

  const state = {
    key: null,          // the admin key, null when signed out
    search: '',
    generation: 0,      // bumped when the search changes, so an answer to an older search is dropped
    timer: null,
    polling: false,
    live: false,        // the last poll succeeded (the status says so)
    accounts: new Map(), // account → view (rows, cells, expanded state)
    overallSparkline: null,
  };

  class AuthError extends Error {}

  class ApiError extends Error {
    constructor(status, code, detail) {
      super(detail || `HTTP ${status}`);
      this.status = status;
      this.code = code;
    }
  }

  // ---- admin API -------------------------------------------------------------------------------

  // 'admin/…' relative to the page ({PathPrefix}/dashboard) is {PathPrefix}/admin/…, behind any path base.
  const adminUrl = (path) => new URL('admin/' + path, document.baseURI);

  async function callApi(path, method = 'GET', key = state.key) {
    let response;
    try {
      response = await fetch(adminUrl(path), {
        method,
        headers: { Authorization: 'Bearer ' + key, Accept: 'application/json' },
        cache: 'no-store',
        credentials: 'omit',
        referrerPolicy: 'no-referrer',
        signal: AbortSignal.timeout(RequestTimeoutMilliseconds),
      });
    } catch (e) {
      throw new ApiError(0, 'unreachable', 'The gateway did not answer (' + e.name + ').');
    }

    if (response.status === 401) {
      throw new AuthError('The gateway refused the admin key (401).');
    }

    let body = null;
    try {
      body = await response.json();
    } catch {
      body = null;
    }

    if (!response.ok) {
      throw new ApiError(response.status, body && body.code, body && (body.detail || body.title));
    }

    return body;
  }

  // ---- formatting ------------------------------------------------------------------------------

  const text = (value) => (value === null || value === undefined ? '–' : String(value));
  const count = (value) => (typeof value === 'number' ? numbers.format(value) : '–');

  function denomLabel(denom) {
    if (typeof denom !== 'string' || denom === '') return '';
    // Chain denominations carry a micro prefix (ukex); amounts here are already whole tokens (KEX).
    return /^u[a-z]+$/.test(denom) ? denom.slice(1).toUpperCase() : denom;
  }

  function balanceText(balance) {
    if (!balance || !balance.known) return 'unknown';
    return `${balance.amount} ${denomLabel(balance.denom)}`.trim();
  }

  function tierText(tier) {
    if (!tier) return '–';
    if (tier.source === 'override') return `${tier.name} (override)`;
    if (tier.source === 'default') return `${tier.name} (default)`;
    return text(tier.name);
  }

  function shortKey(publicKey) {
    return publicKey.length > 16 ? `${publicKey.slice(0, 8)}…${publicKey.slice(-6)}` : publicKey;
  }

  function lastFullSecond(series) {
    // The newest second is still being counted; the one before it is complete.
    if (!Array.isArray(series) || series.length === 0) return null;
    return series.length > 1 ? series[series.length - 2] : series[0];
  }

  // ---- small DOM helpers -----------------------------------------------------------------------

  function element(tag, attributes = {}, content = null) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (value !== null && value !== undefined) node.setAttribute(name, value);
    }
    if (content !== null) node.textContent = content;
    return node;
  }

  function setText(node, value) {
    if (node.textContent !== value) node.textContent = value;
  }

  function setStatus(message, problem = false) {
    setText(ui.status, message);
    ui.status.classList.toggle('problem', problem);
  }

  // An inline SVG sparkline (polyline over a filled area), updated in place every poll.
  function createSparkline(width, height, className) {
    const svg = document.createElementNS(SvgNamespace, 'svg');
    svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    svg.setAttribute('preserveAspectRatio', 'none');
    svg.setAttribute('role', 'img');
    svg.setAttribute('class', className);
    const area = document.createElementNS(SvgNamespace, 'polygon');
    area.setAttribute('class', 'area');
    const line = document.createElementNS(SvgNamespace, 'polyline');
    line.setAttribute('class', 'line');
    svg.append(area, line);
    return { svg, area, line, width, height };
  }

  function updateSparkline(sparkline, series, what) {
    const values = Array.isArray(series) ? series.map((v) => (typeof v === 'number' && v > 0 ? v : 0)) : [];
    const peak = Math.max(1, ...values);
    const step = values.length > 1 ? sparkline.width / (values.length - 1) : sparkline.width;
    const top = 1; // keep the line's stroke inside the box
    const usable = sparkline.height - 2 * top;
    const points = values.map((v, i) => `${(i * step).toFixed(1)},${(top + usable - (v / peak) * usable).toFixed(1)}`);
    sparkline.line.setAttribute('points', points.join(' '));
    sparkline.area.setAttribute('points', points.length
      ? `0,${sparkline.height} ${points.join(' ')} ${((values.length - 1) * step).toFixed(1)},${sparkline.height}`
      : '');
    const now = lastFullSecond(values);
    sparkline.svg.setAttribute('aria-label',
      `${what}: requests per second over the last ${values.length} seconds, peak ${Math.max(0, ...values)}, last full second ${now ?? 0}`);
  }

  function updateBudget(cell, budget) {
    if (!budget) {
      cell.meter.hidden = true;
      setText(cell.label, '–');
      cell.td.removeAttribute('title');
      return;
    }

    cell.meter.hidden = false;
    cell.meter.max = Math.max(1, budget.limit);
    cell.meter.value = Math.max(0, Math.min(budget.remaining, budget.limit));
    cell.meter.low = budget.limit * 0.2;
    cell.meter.high = budget.limit * 0.5;
    cell.meter.optimum = budget.limit;
    setText(cell.label, `${count(budget.remaining)} / ${count(budget.limit)}`);
    cell.td.title = typeof budget.resetSeconds === 'number' ? `full again in ${budget.resetSeconds.toFixed(1)} s` : '';
  }

  // ---- account rows ----------------------------------------------------------------------------

  function createAccountView(account) {
    const id = 'account-' + account;
    const row = element('tr', { id, 'data-account': account, class: 'account-row' });

    const toggle = element('button', {
      type: 'button', class: 'account-toggle', 'aria-expanded': 'false', 'aria-controls': id + '-keys',
      'data-action': 'toggle-keys',
    });
    toggle.append(element('span', { class: 'chevron', 'aria-hidden': 'true' }), element('code', {}, account));
    const cellOf = (label, field, extraClass) => element('td', { 'data-label': label, 'data-field': field, class: extraClass || null });
    const accountCell = cellOf('Account', 'account', 'account');
    accountCell.append(toggle);

    const budgetCell = (label, field) => {
      const td = cellOf(label, field, 'budget');
      const meter = element('meter', { min: '0', 'aria-hidden': 'true' });
      const budgetLabel = element('span', { class: 'budget-text' });
      td.append(budgetLabel, meter);
      return { td, meter, label: budgetLabel };
    };

    const view = {
      account, row, toggle, expanded: false, listed: true, data: null,
      tier: cellOf('Tier', 'tier'),
      balance: cellOf('Balance', 'balance'),
      rate: budgetCell('Rate budget left', 'rate'),
      daily: budgetCell('Daily budget left', 'daily'),
      requests: cellOf('Requests', 'requests', 'number'),
      rejected: cellOf('429', 'rejected', 'number'),
      spark: cellOf('Requests/s', 'sparkline', 'spark'),
      sparkline: createSparkline(120, 28, 'sparkline'),
      keysRow: null,
    };
    view.spark.append(view.sparkline.svg);
    row.append(accountCell, view.tier, view.balance, view.rate.td, view.daily.td, view.requests, view.rejected, view.spark);
    toggle.addEventListener('click', () => toggleKeys(view));
    return view;
  }

  // Usage rows (GET /admin/usage) and account views (GET /admin/accounts/{account}) share these fields.
  function updateAccountView(view, data) {
    view.data = data;
    const usage = data.usage || data;
    const budgets = Array.isArray(data.budgets) ? data.budgets : [];
    setText(view.tier, tierText(data.tier));
    setText(view.balance, balanceText(data.balance));
    updateBudget(view.rate, budgets.find((b) => b.name === 'rate'));
    updateBudget(view.daily, budgets.find((b) => b.name === 'daily'));
    setText(view.requests, count(usage.requests));
    setText(view.rejected, rejectedText(usage));
    view.row.classList.toggle('has-rejections', usage.rejected > 0);
    updateSparkline(view.sparkline, usage.requestsPerSecond, view.account);
    if (view.detail) updateTierDetail(view, data.tier);
  }

  // Refusals, and in shadow mode the refusals the limits would have made (served all the same).
  function rejectedText(usage) {
    const shadow = Number(usage.shadowRejected) || 0;
    return shadow > 0 ? `${count(usage.rejected)} (+${count(shadow)} shadow)` : count(usage.rejected);
  }

  function updateTierDetail(view, tier) {
    if (!tier) return;
    const parts = [`tier ${text(tier.name)} (${text(tier.source)})`,
      `${count(tier.permitsPerMinute)} requests/min`, `burst ${count(tier.burst)}`];
    parts.push(tier.dailyQuota ? `${count(tier.dailyQuota)} per day` : 'no daily quota');
    setText(view.detail, parts.join(' · '));
  }

  function render(usage) {
    setText(ui.windowSeconds, text(usage.windowSeconds));
    const overall = usage.overall || {};
    setText(ui.totalRequests, count(overall.requests));
    setText(ui.totalRejected, count(overall.rejected));
    setText(ui.totalShadow, count(overall.shadowRejected || 0));
    setText(ui.totalRate, count(lastFullSecond(overall.requestsPerSecond)));
    const accounts = Array.isArray(usage.accounts) ? usage.accounts : [];
    setText(ui.totalAccounts, count(accounts.length));
    updateSparkline(state.overallSparkline, overall.requestsPerSecond, 'All traffic');
    const time = usage.time ? new Date(usage.time) : null;
    setText(ui.updatedAt, time && !Number.isNaN(time.getTime()) ? time.toLocaleTimeString() : '–');
    if (time) ui.updatedAt.setAttribute('datetime', usage.time);

    const order = [];
    const listed = new Set();
    for (const data of accounts) {
      if (typeof data.account !== 'string') continue;
      let view = state.accounts.get(data.account);
      if (!view) {
        view = createAccountView(data.account);
        state.accounts.set(data.account, view);
      }
      view.listed = true;
      view.row.classList.remove('idle');
      updateAccountView(view, data);
      order.push(view);
      listed.add(data.account);
    }

    // An open account stays on screen when its traffic stops (the operator may be about to disable a
    // key), as long as it matches the search; other rows follow the list.
    for (const view of state.accounts.values()) {
      if (listed.has(view.account)) continue;
      if (view.expanded && view.account.includes(state.search)) {
        view.listed = false;
        view.row.classList.add('idle');
        order.push(view);
      } else {
        removeAccountView(view);
      }
    }

    placeRows(order);
    ui.empty.hidden = order.length > 0;
    updateLookup(listed);
    return order.filter((view) => !view.listed);
  }

  // Moves rows only where the order changed, so a focused button is not detached every second.
  function placeRows(order) {
    let cursor = ui.rows.firstElementChild;
    for (const view of order) {
      for (const node of view.expanded && view.keysRow ? [view.row, view.keysRow] : [view.row]) {
        if (node === cursor) {
          cursor = cursor.nextElementSibling;
        } else {
          ui.rows.insertBefore(node, cursor);
        }
      }
    }
  }

  function removeAccountView(view) {
    view.row.remove();
    if (view.keysRow) view.keysRow.remove();
    state.accounts.delete(view.account);
  }

  // A searched-for address with no recent traffic can still be opened (to disable its keys).
  function updateLookup(listed) {
    const search = state.search;
    const show = AddressShape.test(search) && !listed.has(search) && !state.accounts.has(search);
    ui.lookup.hidden = !show;
    if (show) setText(ui.lookupText, `${search} made no authenticated requests in the window.`);
  }

  async function lookupAccount() {
    const account = state.search;
    if (!AddressShape.test(account)) return;
    try {
      const data = await callApi('accounts/' + encodeURIComponent(account));
      let view = state.accounts.get(data.account);
      if (!view) {
        view = createAccountView(data.account);
        state.accounts.set(data.account, view);
      }
      view.listed = false;
      view.row.classList.add('idle');
      updateAccountView(view, data);
      ui.lookup.hidden = true;
      if (!view.expanded) await toggleKeys(view);
      placeRows([...state.accounts.values()].filter((v) => v.listed).concat([...state.accounts.values()].filter((v) => !v.listed)));
      ui.empty.hidden = true;
      view.toggle.focus();
    } catch (e) {
      handleError(e, `Could not show ${account}`);
    }
  }

  // ---- keys of an account ----------------------------------------------------------------------

  function createKeysRow(view) {
    const row = element('tr', { id: `account-${view.account}-keys`, class: 'keys-row', 'data-keys-for': view.account });
    const cell = element('td', { colspan: '8' });
    const panel = element('div', { class: 'keys-panel' });
    view.detail = element('p', { class: 'tier-detail', 'data-field': 'tier-detail' });
    const heading = element('h3', {}, 'Session keys');
    view.keysMessage = element('p', { class: 'message', role: 'alert' });
    view.keysList = element('ul', { class: 'keys', 'aria-label': `Session keys of ${view.account}` });
    view.moreKeys = element('button', { type: 'button', class: 'secondary', hidden: '' }, 'Show more keys');
    view.moreKeys.addEventListener('click', () => loadKeys(view, view.nextOffset));
    panel.append(view.detail, heading, view.keysMessage, view.keysList, view.moreKeys);
    cell.append(panel);
    row.append(cell);
    return row;
  }

  async function toggleKeys(view) {
    view.expanded = !view.expanded;
    view.toggle.setAttribute('aria-expanded', String(view.expanded));
    view.row.classList.toggle('expanded', view.expanded);
    if (!view.expanded) {
      if (view.keysRow) view.keysRow.remove();
      if (!view.listed) removeAccountView(view);
      return;
    }

    if (!view.keysRow) view.keysRow = createKeysRow(view);
    view.row.after(view.keysRow);
    view.keysList.replaceChildren();
    setText(view.keysMessage, 'Loading keys…');
    if (view.data) updateTierDetail(view, view.data.tier);
    await Promise.all([loadKeys(view, 0), loadAccountDetail(view)]);
  }

  async function loadAccountDetail(view) {
    try {
      const data = await callApi('accounts/' + encodeURIComponent(view.account));
      updateTierDetail(view, data.tier);
      if (!view.listed) updateAccountView(view, data);
    } catch (e) {
      if (e instanceof AuthError) handleError(e);
      // Otherwise the tier line keeps what the usage list said; the key list reports its own errors.
    }
  }

  async function loadKeys(view, offset) {
    try {
      const page = await callApi(`accounts/${encodeURIComponent(view.account)}/keys?offset=${offset}&limit=${KeysPageSize}`);
      if (offset === 0) view.keysList.replaceChildren();
      const items = Array.isArray(page.items) ? page.items : [];
      for (const key of items) view.keysList.append(createKeyItem(view, key));
      view.nextOffset = page.nextOffset;
      view.moreKeys.hidden = page.nextOffset === null || page.nextOffset === undefined;
      setText(view.keysMessage, view.keysList.childElementCount === 0 ? 'This account has no registered keys.' : '');
    } catch (e) {
      if (e instanceof AuthError) {
        handleError(e);
        return;
      }
      setText(view.keysMessage, `Could not load the keys: ${e.message}`);
    }
  }

  function keyStatus(key) {
    if (key.disabled) return 'disabled';
    if (key.expired) return 'expired';
    return 'active';
  }

  function createKeyItem(view, key) {
    const item = element('li', { class: 'key', 'data-public-key': key.publicKey });
    const publicKey = element('code', { class: 'public-key' }, key.publicKey);
    const badge = element('span', { class: 'badge', 'data-field': 'key-status', tabindex: '-1' });
    const facts = element('p', { class: 'key-facts' });
    const actions = element('div', { class: 'key-actions' });
    const disable = element('button', {
      type: 'button', class: 'danger', 'data-action': 'disable', 'aria-label': `Disable key ${key.publicKey}`,
    }, 'Disable');
    const confirm = element('div', { class: 'confirm', role: 'group', 'aria-label': 'Confirm disabling', hidden: '' });
    const question = element('span', {}, 'Disable this key for good? A disabled key can never be enabled again.');
    const yes = element('button', { type: 'button', class: 'danger', 'data-action': 'confirm-disable' }, 'Disable permanently');
    const no = element('button', { type: 'button', class: 'secondary', 'data-action': 'cancel-disable' }, 'Cancel');
    const message = element('p', { class: 'message', role: 'alert' });
    confirm.append(question, yes, no);
    actions.append(disable, confirm);
    item.append(publicKey, badge, facts, actions, message);

    const show = (record) => {
      const status = keyStatus(record);
      item.dataset.status = status;
      badge.className = 'badge ' + status;
      setText(badge, status);
      const scopes = Array.isArray(record.scopes) && record.scopes.length
        ? record.scopes.map((s) => `${(s.methods && s.methods.length ? s.methods.join(',') : 'any')} ${s.path}`
          + (typeof s.maxCost === 'number' ? ` (cost ≤ ${s.maxCost})` : '')).join('; ')
        : 'every route';
      // Origin: how the key was registered (grant = the account's wallet, config, admin).
      const parts = [`origin ${text(record.origin || 'admin')}`, text(record.useCase), `expires ${text(record.expires)}`, `scopes: ${scopes}`];
      if (record.disabledAt) parts.push(`disabled ${record.disabledAt}`);
      setText(facts, parts.join(' · '));
      disable.hidden = record.disabled;
      confirm.hidden = true;
    };
    show(key);

    disable.addEventListener('click', () => {
      disable.hidden = true;
      confirm.hidden = false;
      setText(message, '');
      no.focus();
    });
    no.addEventListener('click', () => {
      confirm.hidden = true;
      disable.hidden = false;
      disable.focus();
    });
    yes.addEventListener('click', async () => {
      yes.disabled = true;
      no.disabled = true;
      try {
        const record = await callApi(`keys/${encodeURIComponent(key.publicKey)}/disable`, 'POST');
        show(record);
        badge.focus();
        setStatus(`Key ${shortKey(key.publicKey)} of ${view.account} is disabled.`);
      } catch (e) {
        if (e instanceof AuthError) {
          handleError(e);
          return;
        }
        setText(message, `Could not disable the key: ${e.message}`);
        confirm.hidden = true;
        disable.hidden = false;
      } finally {
        yes.disabled = false;
        no.disabled = false;
      }
    });
    return item;
  }

  // ---- polling ---------------------------------------------------------------------------------

  function schedule(delay) {
    clearTimeout(state.timer);
    state.timer = state.key ? setTimeout(poll, delay) : null;
  }

  async function poll() {
    state.timer = null;
    if (!state.key || state.polling) return;
    if (document.hidden) {
      // Nobody is looking: no traffic until the tab is visible again (visibilitychange polls at once).
      return;
    }

    state.polling = true;
    const generation = state.generation;
    try {
      const query = new URLSearchParams({ limit: '100' });
      if (state.search) query.set('search', state.search);
      const usage = await callApi('usage?' + query);
      if (generation === state.generation && state.key) {
        const unlisted = render(usage);
        await Promise.all(unlisted.map(refreshUnlisted));
        if (!state.live) {
          // Only on the change of state: the status is a live region, and the latest action's
          // message (say, a disabled key) should stay until something new happens.
          state.live = true;
          setStatus('Live: updated every second.');
        }
      }
    } catch (e) {
      handleError(e);
    } finally {
      state.polling = false;
      schedule(generation === state.generation ? PollMilliseconds : 0);
    }
  }

  // Open accounts without recent traffic are not in the usage list: read their own view.
  async function refreshUnlisted(view) {
    try {
      const data = await callApi('accounts/' + encodeURIComponent(view.account));
      if (state.accounts.get(view.account) === view) updateAccountView(view, data);
    } catch (e) {
      if (e instanceof AuthError) throw e;
    }
  }

  function handleError(error, context) {
    state.live = false;
    if (error instanceof AuthError) {
      signOut('The gateway refused this admin key (401). Enter the key again.');
      return;
    }

    const prefix = context ? context + ': ' : '';
    if (error instanceof ApiError && error.status === 503) {
      setStatus(`${prefix}the gateway's store is unavailable (${error.code || 503}); retrying…`, true);
    } else if (error instanceof ApiError && error.status === 0) {
      setStatus(`${prefix}cannot reach the gateway; retrying…`, true);
    } else if (error instanceof ApiError && error.status === 404 && !context) {
      setStatus('This gateway does not serve the admin API at ' + adminUrl('usage').pathname + '.', true);
    } else {
      setStatus(`${prefix}${error.message}${error.code ? ` (${error.code})` : ''}`, true);
    }
  }

  // ---- history: per-minute rollups over 1 h / 6 h / 24 h (GET /admin/usage/history) -------------

  const HistoryPollMilliseconds = 15000; // rollups are per minute; with Redis they are flushed every 5 s
  const HistoryTop = 10;
  const history = { range: '1h', timer: null, loading: false, data: null, resizeTimer: null, generation: 0 };

  // Minutes between x-axis labels for each range (doubled on narrow screens).
  const HistoryTickMinutes = { '1h': 10, '6h': 60, '24h': 240 };

  function initHistory() {
    for (const button of document.querySelectorAll('#history button[data-range]')) {
      button.addEventListener('click', () => setHistoryRange(button.dataset.range));
    }
    window.addEventListener('resize', () => {
      clearTimeout(history.resizeTimer);
      history.resizeTimer = setTimeout(() => { if (history.data) renderHistory(history.data); }, 150);
    });
  }

  function setHistoryRange(range) {
    if (!(range in HistoryTickMinutes)) return;
    history.range = range;
    history.generation += 1;
    for (const button of document.querySelectorAll('#history button[data-range]')) {
      button.setAttribute('aria-pressed', String(button.dataset.range === range));
    }
    scheduleHistory(0);
  }

  function scheduleHistory(delay) {
    clearTimeout(history.timer);
    history.timer = state.key ? setTimeout(loadHistory, delay) : null;
  }

  function stopHistory() {
    clearTimeout(history.timer);
    history.timer = null;
    history.data = null;
    for (const id of ['top-accounts', 'top-routes', 'top-methods', 'top-prefixes', 'history-requests-chart', 'history-cost-chart']) {
      $(id).replaceChildren();
    }
  }

  async function loadHistory() {
    history.timer = null;
    if (!state.key || history.loading) return;
    if (document.hidden) {
      scheduleHistory(HistoryPollMilliseconds);
      return;
    }

    history.loading = true;
    const generation = history.generation;
    try {
      const data = await callApi(`usage/history?range=${encodeURIComponent(history.range)}&top=${HistoryTop}`);
      if (generation === history.generation && state.key) {
        history.data = data;
        renderHistory(data);
        setText($('history-message'), '');
      }
    } catch (e) {
      if (e instanceof AuthError) {
        handleError(e);
        return;
      }
      setText($('history-message'), `Could not load the history: ${e.message}`);
    } finally {
      history.loading = false;
      if (state.key) scheduleHistory(generation === history.generation ? HistoryPollMilliseconds : 0);
    }
  }

  function renderHistory(data) {
    const totals = data.totals || {};
    setText($('history-requests'), count(totals.requests));
    setText($('history-refused'), count(totals.refused));
    setText($('history-cost'), count(totals.cost));
    setText($('history-would'), count(totals.wouldBeRefused));
    const series = data.series || {};
    const from = Date.parse(data.from);
    const step = (typeof data.stepSeconds === 'number' ? data.stepSeconds : 60) * 1000;
    drawHistoryChart($('history-requests-chart'), {
      from, step, unit: 'requests/min', range: data.range,
      lines: [
        { values: series.requests, className: 'series-requests', area: true, label: 'requests' },
        { values: series.refused, className: 'series-refused', label: 'refused' },
        { values: series.wouldBeRefused, className: 'series-would', label: 'would be refused' },
      ],
    });
    drawHistoryChart($('history-cost-chart'), {
      from, step, unit: 'units/min', range: data.range,
      lines: [{ values: series.cost, className: 'series-cost', label: 'cost units' }],
    });

    const top = data.top || {};
    const since = top.from ? new Date(top.from) : null;
    const topFrom = $('history-top-from');
    setText(topFrom, since && !Number.isNaN(since.getTime()) ? utcLabel(since, true) : '–');
    if (top.from) topFrom.setAttribute('datetime', top.from);
    renderTopList($('top-accounts'), top.accounts, 'account');
    renderTopList($('top-routes'), top.routes, 'route');
    renderTopList($('top-methods'), top.methods, 'method');
    renderTopList($('top-prefixes'), top.anonymousPrefixes, 'prefix');
  }

  const utcLabel = (date, withDate) => {
    const iso = date.toISOString();
    return withDate ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : iso.slice(11, 16);
  };

  // 1, 2 or 5 × 10^k: the smallest such step that splits `peak` into at most `parts` intervals.
  function niceStep(peak, parts) {
    const raw = Math.max(1, peak / parts);
    const magnitude = 10 ** Math.floor(Math.log10(raw));
    for (const factor of [1, 2, 5, 10]) {
      if (factor * magnitude >= raw) return Math.max(1, factor * magnitude);
    }
    return 10 * magnitude;
  }

  function svgElement(tag, attributes, content) {
    const node = document.createElementNS(SvgNamespace, tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
    if (content !== undefined) node.textContent = content;
    return node;
  }

  // A line chart drawn at the box's pixel width: y axis with round ticks and its unit, x axis with UTC
  // times at whole steps of the range, a polyline per series (the first one over a filled area).
  function drawHistoryChart(box, chart) {
    const lines = chart.lines.map((line) => ({
      ...line,
      values: Array.isArray(line.values) ? line.values.map((v) => (typeof v === 'number' && v > 0 ? v : 0)) : [],
    }));
    const n = Math.max(1, ...lines.map((l) => l.values.length));
    const width = Math.max(260, Math.floor(box.clientWidth || 600));
    const height = 200;
    const margin = { left: 52, right: 14, top: 22, bottom: 30 };
    const plotWidth = width - margin.left - margin.right;
    const plotHeight = height - margin.top - margin.bottom;
    const peak = Math.max(0, ...lines.flatMap((l) => l.values));
    const yStep = niceStep(peak, 4);
    const yMax = Math.max(yStep, Math.ceil(peak / yStep) * yStep);
    const x = (i) => margin.left + (n > 1 ? (i * plotWidth) / (n - 1) : plotWidth / 2);
    const y = (v) => margin.top + plotHeight - (v / yMax) * plotHeight;

    const svg = svgElement('svg', {
      viewBox: `0 0 ${width} ${height}`, width, height, class: 'history-chart', role: 'img',
      'aria-label': `${chart.unit} over the last ${chart.range}: peak ${peak}; ` +
        lines.map((l) => `${l.label} ${l.values.reduce((a, b) => a + b, 0)}`).join(', '),
    });

    const yAxis = svgElement('g', { 'data-axis': 'y' });
    for (let tick = 0; tick <= yMax; tick += yStep) {
      const ty = y(tick).toFixed(1);
      yAxis.append(svgElement('line', { class: tick === 0 ? 'axis' : 'grid', x1: margin.left, x2: width - margin.right, y1: ty, y2: ty }));
      yAxis.append(svgElement('text', { x: margin.left - 6, y: ty, 'text-anchor': 'end', 'dominant-baseline': 'middle' }, numbers.format(tick)));
    }
    yAxis.append(svgElement('line', { class: 'axis', x1: margin.left, x2: margin.left, y1: margin.top, y2: margin.top + plotHeight }));
    yAxis.append(svgElement('text', { class: 'axis-title', x: margin.left - 6, y: 12, 'text-anchor': 'start' }, chart.unit));
    svg.append(yAxis);

    const xAxis = svgElement('g', { 'data-axis': 'x' });
    const tickMinutes = (HistoryTickMinutes[chart.range] || 10) * (plotWidth < 420 ? 2 : 1);
    const stepMinutes = Math.max(1, chart.step / 60000);
    if (Number.isFinite(chart.from)) {
      const firstMinute = Math.round(chart.from / 60000);
      for (let i = 0; i < n; i++) {
        const minute = firstMinute + i * stepMinutes;
        if (minute % tickMinutes !== 0) continue;
        const tx = x(i).toFixed(1);
        xAxis.append(svgElement('line', { class: 'axis', x1: tx, x2: tx, y1: margin.top + plotHeight, y2: margin.top + plotHeight + 4 }));
        xAxis.append(svgElement('text', { x: tx, y: margin.top + plotHeight + 16, 'text-anchor': 'middle' }, utcLabel(new Date(minute * 60000), false)));
      }
    }
    xAxis.append(svgElement('text', { class: 'axis-title', x: width - margin.right, y: height - 2, 'text-anchor': 'end' }, 'time (UTC)'));
    svg.append(xAxis);

    for (const line of lines) {
      const points = line.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
      if (line.area && line.values.length) {
        const base = y(0).toFixed(1);
        svg.append(svgElement('polygon', {
          class: 'series-area',
          points: `${x(0).toFixed(1)},${base} ${points} ${x(line.values.length - 1).toFixed(1)},${base}`,
        }));
      }
      svg.append(svgElement('polyline', { class: line.className, 'data-series': line.label, points }));
    }

    box.replaceChildren(svg);
  }

  function renderTopList(list, data, kind) {
    const items = data && Array.isArray(data.items) ? data.items : [];
    const nodes = [];
    for (const item of items) {
      if (typeof item.name !== 'string') continue;
      const li = element('li', { 'data-name': item.name });
      li.append(element(kind === 'account' || kind === 'prefix' ? 'code' : 'span', { class: 'top-name' }, item.name));
      const counts = [`${count(item.requests)} ${kind === 'method' ? 'calls' : 'requests'}`, `${count(item.refused)} refused`, `${count(item.cost)} units`];
      if (item.wouldBeRefused > 0) counts.push(`${count(item.wouldBeRefused)} would be refused`);
      li.append(element('span', { class: 'top-counts' }, counts.join(' · ')));
      if (kind === 'account') li.append(csvLink(item.name));
      nodes.push(li);
    }

    const other = data && data.other;
    if (other && other.requests > 0) {
      nodes.push(element('li', { class: 'other' }, `Others: ${count(other.requests)} ${kind === 'method' ? 'calls' : 'requests'}, ${count(other.refused)} refused`));
    }
    if (nodes.length === 0) nodes.push(element('li', { class: 'none' }, 'Nothing in this range.'));
    list.replaceChildren(...nodes);
  }

  // The export needs the admin key, which a plain link cannot send: the click fetches the CSV with
  // the bearer credential and saves it from a blob URL. The href stays the real API URL (copyable).
  function csvLink(account) {
    const range = history.range;
    const link = element('a', {
      class: 'csv', href: adminUrl(`accounts/${encodeURIComponent(account)}/history.csv?range=${range}`).href,
      download: `history-${account}-${range}.csv`, 'data-csv-account': account,
      'aria-label': `Download the ${range} history of ${account} as CSV`,
    }, 'CSV');
    link.addEventListener('click', (event) => {
      event.preventDefault();
      downloadCsv(link);
    });
    return link;
  }

  async function downloadCsv(link) {
    try {
      const response = await fetch(link.href, {
        headers: { Authorization: 'Bearer ' + state.key, Accept: 'text/csv' },
        cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer',
        signal: AbortSignal.timeout(RequestTimeoutMilliseconds),
      });
      if (response.status === 401) throw new AuthError('The gateway refused the admin key (401).');
      if (!response.ok) throw new ApiError(response.status, null, `HTTP ${response.status}`);
      const url = URL.createObjectURL(await response.blob());
      const save = element('a', { href: url, download: link.getAttribute('download') });
      document.body.append(save);
      save.click();
      save.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
      link.dataset.downloaded = 'true';
    } catch (e) {
      if (e instanceof AuthError) {
        handleError(e);
        return;
      }
      setText($('history-message'), `Could not download the CSV: ${e.message}`);
    }
  }

  // ---- sign in / out ---------------------------------------------------------------------------

  function showDashboard() {
    ui.login.hidden = true;
    ui.dashboard.hidden = false;
    ui.signOut.hidden = false;
  }

  function signOut(message) {
    state.key = null;
    sessionStorage.removeItem(KeyStorage);
    schedule(0);
    stopHistory();
    for (const view of [...state.accounts.values()]) removeAccountView(view);
    ui.dashboard.hidden = true;
    ui.signOut.hidden = true;
    ui.login.hidden = false;
    setText(ui.loginMessage, message || '');
    setStatus(message ? 'Signed out: the admin key was refused.' : 'Signed out.', Boolean(message));
    ui.apiKey.value = '';
    ui.apiKey.focus();
  }

  async function signIn(event) {
    event.preventDefault();
    const key = ui.apiKey.value.trim();
    if (!ApiKeyShape.test(key)) {
      setText(ui.loginMessage, 'An admin key is 16 to 512 printable ASCII characters without spaces.');
      ui.apiKey.focus();
      return;
    }

    ui.loginSubmit.disabled = true;
    setText(ui.loginMessage, '');
    setStatus('Checking the key…');
    try {
      await callApi('usage?limit=1', 'GET', key);
    } catch (e) {
      ui.loginSubmit.disabled = false;
      if (e instanceof AuthError) {
        setText(ui.loginMessage, 'The gateway refused this key (401). Check SessionGate:Admin:ApiKey and try again.');
        setStatus('Not signed in.', true);
      } else {
        setText(ui.loginMessage, `Could not check the key: ${e.message}`);
        setStatus('Not signed in.', true);
      }
      ui.apiKey.focus();
      return;
    }

    ui.loginSubmit.disabled = false;
    ui.apiKey.value = '';
    start(key);
  }

  function start(key) {
    state.key = key;
    state.live = false;
    sessionStorage.setItem(KeyStorage, key);
    showDashboard();
    setStatus('Connecting…');
    schedule(0);
    scheduleHistory(0);
  }

  let searchTimer = null;
  function onSearch() {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => {
      const search = ui.search.value.trim().toLowerCase();
      if (search === state.search) return;
      state.search = search;
      state.generation += 1;
      if (!state.polling) schedule(0);
    }, 250);
  }

  function init() {
    state.overallSparkline = createSparkline(600, 60, 'sparkline sparkline-overall');
    ui.overall.append(state.overallSparkline.svg);
    ui.loginForm.addEventListener('submit', signIn);
    ui.signOut.addEventListener('click', () => signOut());
    ui.search.addEventListener('input', onSearch);
    ui.lookupButton.addEventListener('click', lookupAccount);
    initHistory();
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden && state.key && !state.polling) schedule(0);
      if (!document.hidden && state.key && !history.loading) scheduleHistory(0);
    });

    const saved = sessionStorage.getItem(KeyStorage);
    if (saved && ApiKeyShape.test(saved)) {
      start(saved);
    } else {
      setStatus('Enter the admin key to start.');
      ui.apiKey.focus();
    }
  }

  init();
})();
