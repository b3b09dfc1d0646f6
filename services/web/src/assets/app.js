// Small progressive enhancements; every page works without them.
(function () {
  'use strict';
  function $(sel, root) { return (root || document).querySelector(sel); }
  function $all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }

  // Copy buttons (the new token, shown once).
  $all('[data-copy]').forEach(function (b) {
    b.addEventListener('click', function () {
      var el = document.getElementById(b.getAttribute('data-copy'));
      if (!el || !navigator.clipboard) return;
      navigator.clipboard.writeText(el.textContent.trim()).then(function () { b.textContent = b.getAttribute('data-copied') || 'Copied'; });
    });
  });

  // The report's write-back state: polled until it is no longer "saving".
  var state = $('[data-report-state]');
  if (state && state.getAttribute('data-status') === 'pending') {
    var tries = 0;
    var poll = function () {
      fetch(state.getAttribute('data-report-state'), { headers: { accept: 'application/json' }, credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (s) {
          if (!s) return;
          if (s.status !== 'pending') {
            state.setAttribute('data-status', s.status);
            state.className = 'state ' + s.status;
            state.textContent = s.label;
            var retry = $('[data-retry]');
            if (retry && s.status === 'failed') retry.hidden = false;
            return;
          }
          if (++tries < 60) setTimeout(poll, Math.min(500 * tries, 5000));
        });
    };
    setTimeout(poll, 500);
  }

  // Charts (uPlot, loaded only on pages that draw one).
  function cssVar(name) { return getComputedStyle(document.documentElement).getPropertyValue(name).trim(); }
  var ROLE = { warmup: '--warmup', work: '--work', recovery: '--recovery', cooldown: '--cooldown', steady: '--steady' };
  function width(el) { return Math.max(280, el.clientWidth || 320); }
  function lapShading(laps) {
    return function (u) {
      var ctx = u.ctx;
      ctx.save();
      laps.forEach(function (l) {
        var x0 = u.valToPos(l.start, 'x', true), x1 = u.valToPos(l.end, 'x', true);
        ctx.fillStyle = cssVar(ROLE[l.role] || '--steady');
        ctx.fillRect(x0, u.bbox.top, Math.max(1, x1 - x0), u.bbox.height);
      });
      ctx.restore();
    };
  }
  function mmss(v) { if (v == null) return '–'; var m = Math.floor(v), s = Math.round((v - m) * 60); if (s === 60) { m++; s = 0; } return m + ':' + (s < 10 ? '0' : '') + s; }
  function hms(v) { var h = Math.floor(v / 3600), m = Math.floor(v % 3600 / 60); return (h ? h + ':' + (m < 10 ? '0' : '') : '') + m + "'"; }

  function workoutChart(el) {
    fetch(el.getAttribute('data-series'), { credentials: 'same-origin' }).then(function (r) { return r.ok ? r.json() : null; }).then(function (d) {
      if (!d || !d.t.length || typeof uPlot === 'undefined') return;
      var series = [{ value: function (u, v) { return v == null ? '–' : hms(v); } }];
      var data = [d.t];
      var scales = { x: { time: false } };
      var axes = [{ values: function (u, vals) { return vals.map(hms); } }];
      if (d.speed) { series.push({ label: el.getAttribute("data-speed-label"), stroke: "#0b5cad", width: 1.5, scale: "speed" }); data.push(d.speed); scales.speed = { auto: true }; axes.push({ scale: "speed" }); }
      if (d.pace) { series.push({ label: el.getAttribute('data-pace-label'), stroke: '#0b5cad', width: 1.5, scale: 'pace', value: function (u, v) { return mmss(v); } }); data.push(d.pace); scales.pace = { dir: -1, auto: true }; axes.push({ scale: 'pace', values: function (u, vals) { return vals.map(mmss); } }); }
      if (d.hr) { series.push({ label: el.getAttribute('data-hr-label'), stroke: '#b3261e', width: 1.5, scale: 'hr' }); data.push(d.hr); scales.hr = { auto: true }; axes.push({ scale: 'hr', side: 1, grid: { show: false } }); }
      if (d.alt) { series.push({ label: el.getAttribute('data-alt-label'), stroke: '#57606a', width: 1, scale: 'alt', fill: 'rgba(87,96,106,0.12)' }); data.push(d.alt); scales.alt = { auto: true }; }
      var u = new uPlot({ width: width(el), height: 300, series: series, scales: scales, axes: axes, hooks: { drawClear: [lapShading(d.laps || [])] } }, data, el);
      window.addEventListener('resize', function () { u.setSize({ width: width(el), height: 300 }); });
    });
  }

  function lineChart(el) {
    var d = JSON.parse(document.getElementById(el.getAttribute('data-json')).textContent);
    if (!d.x.length || typeof uPlot === 'undefined') return;
    var series = [{}].concat(d.series.map(function (s) { return { label: s.label, stroke: s.color, width: 1.5, scale: s.scale || 'y' }; }));
    var data = [d.x].concat(d.series.map(function (s) { return s.values; }));
    var u = new uPlot({ width: width(el), height: 260, series: series, scales: { x: { time: true } } }, data, el);
    window.addEventListener('resize', function () { u.setSize({ width: width(el), height: 260 }); });
  }

  window.addEventListener('DOMContentLoaded', function () {
    $all('[data-series]').forEach(workoutChart);
    $all('[data-line-chart]').forEach(lineChart);
  });
})();
