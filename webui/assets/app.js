// homeca web UI: the only script. No inline handlers (the CSP forbids them);
// everything hooks onto data attributes when the page has loaded.
'use strict';

(function () {
  function formatLeft(seconds) {
    if (seconds <= 0) return 'expired';
    var m = Math.floor(seconds / 60);
    var s = seconds % 60;
    return m + ':' + (s < 10 ? '0' : '') + s + ' left';
  }

  // <span data-seconds-left="540">: a countdown from the server's own clock.
  function startCountdowns() {
    var nodes = document.querySelectorAll('[data-seconds-left]');
    nodes.forEach(function (node) {
      var deadline = Date.now() + parseInt(node.getAttribute('data-seconds-left'), 10) * 1000;
      function tick() {
        if (node.hasAttribute('data-stopped')) return;
        var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
        node.textContent = formatLeft(left);
        if (left > 0) setTimeout(tick, 1000);
      }
      tick();
    });
  }

  // <div data-status-url="/pairings/7/status">: follows a pairing live.
  function followPairing(box) {
    var url = box.getAttribute('data-status-url');
    var status = box.querySelector('[data-testid=pairing-status]');
    var countdown = document.querySelector('[data-seconds-left]');
    var summary = box.querySelector('[data-testid=pairing-summary]');
    var failures = 0;
    // The server says it in plain words (ca/plain_words.h); the script only
    // shows what belongs to the state it reports.
    function show(body) {
      var state = body.status;
      status.textContent = state;
      status.className = 'status status-' + state;
      if (summary && body.summary) {
        summary.textContent = body.summary;
        summary.className = body.wrong_code ? 'error' : 'muted';
      }
      if (state !== 'waiting' && countdown) countdown.setAttribute('data-stopped', '1');
      document.querySelectorAll('[data-when-paired]').forEach(function (node) {
        node.hidden = state !== 'paired';
      });
      document.querySelectorAll('[data-when-new-code]').forEach(function (node) {
        node.hidden = !body.can_make_new_code;
      });
      // Nothing left to cancel once the pairing is over.
      document.querySelectorAll('[data-when-waiting]').forEach(function (node) {
        node.hidden = state !== 'waiting';
      });
    }
    function poll() {
      fetch(url, {credentials: 'same-origin', headers: {'Accept': 'application/json'}})
        .then(function (r) {
          if (!r.ok) throw new Error('HTTP ' + r.status);
          return r.json();
        })
        .then(function (body) {
          failures = 0;
          show(body);
          if (body.status === 'waiting') setTimeout(poll, 2000);
        })
        .catch(function () {
          failures += 1;
          if (failures < 5) setTimeout(poll, 4000);
          else status.textContent = 'unknown (reload the page)';
        });
    }
    setTimeout(poll, 1000);
  }

  // <button data-requires="revoke-confirm">: enabled once the box is ticked.
  // The server checks the box too; this only saves a round trip.
  function guardButtons() {
    document.querySelectorAll('[data-requires]').forEach(function (button) {
      var box = document.getElementById(button.getAttribute('data-requires'));
      if (!box) return;
      function sync() { button.disabled = !box.checked; }
      box.addEventListener('change', sync);
      sync();
    });
  }

  // <button data-copy="element-id">: copies that element's text.
  function copyButtons() {
    document.querySelectorAll('[data-copy]').forEach(function (button) {
      var source = document.getElementById(button.getAttribute('data-copy'));
      if (!source || !navigator.clipboard) { button.hidden = true; return; }
      button.hidden = false;
      button.addEventListener('click', function () {
        navigator.clipboard.writeText(source.textContent).then(function () {
          button.textContent = 'Copied';
        });
      });
    });
  }

  // <li data-trust-check> on the Overview: does this browser trust the root?
  // A service worker's script is fetched by the browser itself, which never
  // honours a "proceed anyway" past a certificate warning, so registering
  // one succeeds only where homecad's certificate verifies. Unregistered at
  // once; it does nothing meanwhile.
  function checkTrust(item) {
    var label = item.querySelector('[data-check-state]');
    var list = item.closest('details');
    function settle(state, text) {
      item.setAttribute('data-state', state);
      item.className = 'check check-' + state;
      label.textContent = text;
      if (state !== 'done' && list) list.open = true;
    }
    if (!window.isSecureContext || !navigator.serviceWorker) {
      settle('todo', 'cannot tell');
      return;
    }
    navigator.serviceWorker.register('/assets/trust-check-sw.js', { scope: '/assets/trust-check/' })
      .then(function (registration) {
        settle('done', 'done');
        return registration.unregister();
      })
      .catch(function (error) {
        // Chromium: "An SSL certificate error occurred when fetching the
        // script". Anything else (service workers off, as in some private
        // windows) says nothing about trust either way.
        settle('todo', /ssl|certificate/i.test(String(error)) ? 'to do' : 'cannot tell');
      });
  }

  // <input type="file" data-file-into="textarea-id">: shown only with this
  // script, it reads the chosen file (a CSR) into that textarea, so the form
  // still posts plain text and works without the script by pasting.
  function fileInputs() {
    document.querySelectorAll('[data-file-into]').forEach(function (input) {
      var target = document.getElementById(input.getAttribute('data-file-into'));
      if (!target || !window.FileReader) return;
      input.hidden = false;
      input.addEventListener('change', function () {
        if (!input.files.length) return;
        var reader = new FileReader();
        reader.onload = function () { target.value = reader.result; };
        reader.readAsText(input.files[0]);
      });
    });
  }

  // <time datetime="2026-11-23T08:49:00Z" data-local-time>: the server writes
  // UTC (it does not know the viewer's zone); shown in the viewer's own time,
  // with the UTC text kept as the tooltip.
  function localTimes() {
    if (typeof Intl === 'undefined') return;
    var format = new Intl.DateTimeFormat(undefined, {
      year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit',
      timeZoneName: 'short'
    });
    document.querySelectorAll('time[data-local-time]').forEach(function (node) {
      var when = new Date(node.getAttribute('datetime'));
      if (isNaN(when.getTime())) return;
      node.title = node.textContent;
      node.textContent = format.format(when);
    });
  }

  // Tables too wide for a phone become one card per row: each cell gets its
  // column's heading as a label, and the stylesheet stacks table.stacked
  // under 40rem. Without the script the table scrolls inside .table-wrap.
  function stackTables() {
    document.querySelectorAll('table').forEach(function (table) {
      var headings = Array.prototype.map.call(table.querySelectorAll('thead th'), function (th) {
        return th.textContent.trim();
      });
      if (headings.length === 0) return;
      table.querySelectorAll('tbody tr').forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, i) {
          if (headings[i]) cell.setAttribute('data-label', headings[i]);
        });
      });
      table.classList.add('stacked');
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('[data-trust-check]').forEach(checkTrust);
    localTimes();
    stackTables();
    startCountdowns();
    document.querySelectorAll('[data-status-url]').forEach(followPairing);
    guardButtons();
    copyButtons();
    fileInputs();
  });
})();
