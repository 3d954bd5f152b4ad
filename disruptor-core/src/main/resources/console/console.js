// EAB review console: lists held messages, shows one, approves or rejects it with a reason.
// Talks only to this server's /deliberations endpoints with the reviewer's bearer token (kept in sessionStorage).
// Updates: a Server-Sent Events stream (GET /deliberations/events) refreshes the list the moment a message is held
// or decided. It is read with fetch() rather than EventSource, because EventSource cannot send the Authorization
// header and a token in the URL would land in logs and history. While the stream is down the page polls every
// second (the fallback) and reconnects; while it is up it still re-reads the list every few seconds (votes that
// decide nothing are not events).
// Held content is hostile input: everything is rendered with textContent (never innerHTML), and the server's
// Content-Security-Policy forbids inline scripts as a second line of defence.
'use strict';

(function () {
  const TOKEN_KEY = 'eab.reviewerToken';
  const POLL_MS = 1000;
  const STREAMING_POLL_MS = 5000;
  const STREAM_RETRY_MS = 3000;

  let selectedId = null;
  let lastSignature = null;
  let busy = false;
  let streaming = false;
  let lastRefresh = 0;

  const byId = (id) => document.getElementById(id);

  function el(tag, text, className) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) {
      e.textContent = String(text);
    }
    if (className) {
      e.className = className;
    }
    return e;
  }

  function token() {
    return sessionStorage.getItem(TOKEN_KEY);
  }

  // The token's subject, for display only (the server verifies the token; this never decides anything).
  function subjectOf(jwt) {
    try {
      const part = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      const claims = JSON.parse(atob(part + '='.repeat((4 - part.length % 4) % 4)));
      return typeof claims.sub === 'string' ? claims.sub : '';
    } catch (e) {
      return '';
    }
  }

  async function api(method, path, body) {
    const headers = { 'Authorization': 'Bearer ' + token(), 'Accept': 'application/json' };
    const init = { method: method, headers: headers, cache: 'no-store' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const res = await fetch(path, init);
    let data = null;
    try {
      data = await res.json();
    } catch (e) {
      data = null;
    }
    return { status: res.status, data: data };
  }

  function messageOf(r) {
    return r.data && typeof r.data.message === 'string' ? r.data.message : 'HTTP ' + r.status;
  }

  function showLogin(error) {
    byId('console').hidden = true;
    byId('forget-token').hidden = true;
    byId('whoami').textContent = '';
    byId('login').hidden = false;
    byId('login-error').textContent = error || '';
    byId('token').focus();
  }

  function showConsole() {
    byId('login').hidden = true;
    byId('console').hidden = false;
    byId('forget-token').hidden = false;
    const who = subjectOf(token());
    byId('whoami').textContent = who ? 'reviewer: ' + who : '';
  }

  function score(v) {
    return typeof v === 'number' ? v.toFixed(2) : '';
  }

  function factorsText(factors) {
    if (!factors || typeof factors !== 'object') {
      return '';
    }
    return Object.keys(factors).map((k) => k + ' ' + score(factors[k])).join(' · ');
  }

  function timeText(iso) {
    if (typeof iso !== 'string') {
      return '';
    }
    const d = new Date(iso);
    return isNaN(d.getTime()) ? iso : d.toLocaleTimeString();
  }

  function renderRows(items) {
    const rows = byId('item-rows');
    const fresh = [];
    for (const item of items) {
      const tr = el('tr', null, 'item');
      tr.dataset.id = item.id;
      tr.dataset.messageId = item.message_id;
      if (item.id === selectedId) {
        tr.classList.add('selected');
      }
      tr.appendChild(el('td', timeText(item.created_at)));
      tr.appendChild(el('td', item.sender, 'sender'));
      tr.appendChild(el('td', item.tenant, 'tenant'));
      tr.appendChild(el('td', item.type, 'type'));
      tr.appendChild(el('td', item.priority, 'priority'));
      tr.appendChild(el('td', score(item.impact_score), 'score'));
      tr.appendChild(el('td', factorsText(item.impact_factors), 'factors'));
      tr.appendChild(el('td', (item.votes || []).length + (item.required_votes > 0 ? ' / ' + item.required_votes : ''), 'votes'));
      tr.addEventListener('click', () => select(item.id));
      fresh.push(tr);
    }
    rows.replaceChildren(...fresh);
    byId('count').textContent = String(items.length);
    byId('empty').hidden = items.length > 0;
  }

  function renderDetail(item) {
    byId('detail').hidden = false;
    byId('detail-id').textContent = item.id;
    byId('detail-status').textContent = item.status;
    const meta = byId('detail-meta');
    const pairs = [
      ['Message id', item.message_id], ['Sender', item.sender], ['Recipient', item.recipient || '(capability / broadcast)'],
      ['Tenant', item.tenant], ['Type', item.type], ['Priority', item.priority],
      ['Impact score', score(item.impact_score) + ' (threshold ' + score(item.threshold) + ')'],
      ['Factors', factorsText(item.impact_factors)], ['Held at', item.created_at], ['Times out at', item.timeout_at]
    ];
    if (item.reviewer) {
      pairs.push(['Reviewer', item.reviewer], ['Reasoning', item.reasoning], ['Decided at', item.decided_at]);
    }
    const nodes = [];
    for (const [k, v] of pairs) {
      nodes.push(el('dt', k), el('dd', v === null || v === undefined ? '' : v));
    }
    meta.replaceChildren(...nodes);
    byId('detail-content').textContent = JSON.stringify(item.content, null, 2);
    const votes = (item.votes || []).map((v) => el('li', v.agent_id + ': ' + v.choice + (v.reasoning ? ' — ' + v.reasoning : '')));
    byId('detail-votes').replaceChildren(...(votes.length ? votes : [el('li', 'none', 'muted')]));
    const open = item.status === 'under_review' || item.status === 'pending';
    byId('approve').disabled = !open || busy;
    byId('reject').disabled = !open || busy;
    byId('reason').disabled = !open;
  }

  async function select(id) {
    selectedId = id;
    byId('notice').textContent = '';
    byId('notice').className = '';
    byId('reason').value = '';
    for (const tr of byId('item-rows').children) {
      tr.classList.toggle('selected', tr.dataset.id === id);
    }
    try {
      const r = await api('GET', '/deliberations/' + encodeURIComponent(id));
      if (r.status === 200 && selectedId === id) {
        renderDetail(r.data);
      } else if (r.status !== 200) {
        notice(messageOf(r), false);
      }
    } catch (e) {
      notice('Request failed: ' + e.message, false);
    }
  }

  function notice(text, ok) {
    const n = byId('notice');
    n.textContent = text;
    n.className = ok ? 'ok' : 'error';
  }

  async function decide(action) {
    const id = selectedId;
    const reason = byId('reason').value.trim();
    if (!id) {
      return;
    }
    if (!reason) {
      notice('Give a reason for the decision.', false);
      return;
    }
    busy = true;
    byId('approve').disabled = true;
    byId('reject').disabled = true;
    try {
      const r = await api('POST', '/deliberations/' + encodeURIComponent(id) + '/' + action, { reason: reason });
      if (r.status === 200) {
        renderDetail(r.data);
        notice((action === 'approve' ? 'Approved' : 'Rejected') + ' ' + r.data.message_id + ' (' + r.data.status + ')', true);
        lastSignature = null;
        await refresh();
      } else {
        notice(messageOf(r), false);
        const now = await api('GET', '/deliberations/' + encodeURIComponent(id));
        if (now.status === 200) {
          renderDetail(now.data);
        }
      }
    } catch (e) {
      notice('Request failed: ' + e.message, false);
    } finally {
      busy = false;
    }
  }

  async function refresh() {
    lastRefresh = Date.now();
    if (!token()) {
      showLogin();
      return;
    }
    try {
      const r = await api('GET', '/deliberations');
      if (r.status === 401 || r.status === 403) {
        sessionStorage.removeItem(TOKEN_KEY);
        lastSignature = null;
        showLogin(messageOf(r));
        return;
      }
      showConsole();
      if (r.status !== 200 || !r.data || !Array.isArray(r.data.items)) {
        byId('status').textContent = 'Refresh failed: ' + messageOf(r);
        return;
      }
      byId('status').textContent = 'Updated ' + new Date().toLocaleTimeString();
      const items = r.data.items;
      // Rebuild the table only when something changed, so a reviewer's click never lands on a replaced row.
      const signature = JSON.stringify(items.map((i) => [i.id, i.status, (i.votes || []).length]));
      if (signature !== lastSignature) {
        lastSignature = signature;
        renderRows(items);
      }
      // The selected item was decided elsewhere (another reviewer, votes, timeout): show where it ended.
      if (selectedId && !busy && !byId('approve').disabled && !items.some((i) => i.id === selectedId)) {
        const gone = await api('GET', '/deliberations/' + encodeURIComponent(selectedId));
        if (gone.status === 200) {
          renderDetail(gone.data);
        }
      }
    } catch (e) {
      byId('status').textContent = 'Server unreachable: ' + e.message;
    }
  }

  async function poll() {
    if (!streaming || Date.now() - lastRefresh >= STREAMING_POLL_MS) {
      await refresh();
    }
    setTimeout(poll, POLL_MS);
  }

  function showLive(on) {
    streaming = on;
    byId('live').textContent = on ? 'live' : 'polling';
    byId('live').className = on ? 'ok' : 'muted';
  }

  // Reads the event stream until it ends or fails; each held/decided event re-reads the list. Then falls back to
  // polling and tries again after STREAM_RETRY_MS.
  async function stream() {
    try {
      if (!token()) {
        return;
      }
      const res = await fetch('/deliberations/events', {
        headers: { 'Authorization': 'Bearer ' + token(), 'Accept': 'text/event-stream' }, cache: 'no-store'
      });
      if (res.status !== 200 || !res.body) {
        return;
      }
      showLive(true);
      await refresh();
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) {
          return;
        }
        buffer += chunk.value.replace(/\r\n?/g, '\n');
        let cut;
        let changed = false;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          if (/^event: (held|decided)$/m.test(block)) {
            changed = true;
          }
        }
        if (changed) {
          await refresh();
        }
      }
    } catch (e) {
      // Network error or an aborted stream: polling carries on.
    } finally {
      showLive(false);
      setTimeout(stream, STREAM_RETRY_MS);
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
    byId('token-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      const value = byId('token').value.trim().replace(/^Bearer\s+/i, '');
      if (!value) {
        byId('login-error').textContent = 'Paste a token first.';
        return;
      }
      sessionStorage.setItem(TOKEN_KEY, value);
      byId('token').value = '';
      lastSignature = null;
      refresh();
    });
    byId('forget-token').addEventListener('click', () => {
      sessionStorage.removeItem(TOKEN_KEY);
      selectedId = null;
      byId('detail').hidden = true;
      showLogin();
    });
    byId('approve').addEventListener('click', () => decide('approve'));
    byId('reject').addEventListener('click', () => decide('reject'));
    showLive(false);
    poll();
    stream();
  });
}());
