// dnstats page script: draws every <canvas data-chart> from the page's JSON data block with
// Chart.js (loaded before this file). Values are only ever passed to Chart.js as data, never
// written into the page as markup.
(function () {
  'use strict';
  var dataElement = document.getElementById('dnstats-data');
  if (!dataElement || typeof Chart === 'undefined') {
    console.error('dnstats: chart data or Chart.js missing');
    return;
  }
  var data = JSON.parse(dataElement.textContent || '{}');
  var charts = data.charts || {};

  var PALETTE = ['#2f6db5', '#e8843c', '#3a9a5b', '#c8453a', '#8a63b8', '#8c6d4f', '#d36fb0', '#6f7782', '#b5b537', '#3fb3c4', '#5c8fd6', '#f2b36f', '#99a3ad'];
  var INK = '#1d232b';
  var GRID = 'rgba(29,35,43,0.08)';

  Chart.defaults.font.family = '"Inter", "Helvetica Neue", Arial, sans-serif';
  Chart.defaults.font.size = 13;
  Chart.defaults.color = INK;
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.plugins.legend.labels.boxWidth = 12;
  Chart.defaults.plugins.legend.labels.boxHeight = 12;

  var formatNumber = new Intl.NumberFormat('en-US');
  function pct(value, total) {
    return total > 0 ? ((100 * value) / total).toFixed(1) + ' %' : '–';
  }
  function sum(values) {
    return values.reduce(function (a, b) { return a + b; }, 0);
  }

  function pie(spec) {
    var values = spec.slices.map(function (s) { return s.value; });
    var total = sum(values);
    return {
      type: 'doughnut',
      data: {
        labels: spec.slices.map(function (s) { return s.label; }),
        datasets: [{
          data: values,
          backgroundColor: spec.slices.map(function (s, i) { return s.color || PALETTE[i % PALETTE.length]; }),
          borderColor: '#ffffff',
          borderWidth: 2,
        }],
      },
      options: {
        cutout: '55%',
        plugins: {
          legend: {
            position: 'right',
            labels: {
              generateLabels: function (chart) {
                var base = Chart.overrides.doughnut.plugins.legend.labels.generateLabels(chart);
                return base.map(function (item) {
                  item.text = item.text + '  ' + pct(values[item.index], total);
                  return item;
                });
              },
            },
          },
          tooltip: {
            callbacks: {
              label: function (ctx) { return ' ' + ctx.label + ': ' + formatNumber.format(ctx.parsed) + ' (' + pct(ctx.parsed, total) + ')'; },
            },
          },
        },
      },
    };
  }

  var GRADE_COLORS = ['#c8453a', '#d0603d', '#d77b41', '#dd9645', '#d9ad4a', '#bdb44f', '#98b255', '#72aa5a', '#4f9f5d', '#2e8b57'];
  var MUTED_LABELS = { Unknown: true, Other: true };

  function bars(spec, horizontal) {
    var total = spec.total || sum(spec.values);
    // Provider bars show market shares; histograms show site counts.
    var values = horizontal ? spec.values.map(function (v) { return total > 0 ? (100 * v) / total : 0; }) : spec.values;
    var colors = spec.grades
      ? GRADE_COLORS
      : spec.labels.map(function (label) { return MUTED_LABELS[label] ? '#a7b0ba' : horizontal ? '#2f6db5' : '#3a7fc9'; });
    var countAxis = { callback: function (v) { return formatNumber.format(v); } };
    var shareAxis = { callback: function (v) { return v + ' %'; } };
    return {
      type: 'bar',
      data: {
        labels: spec.shortLabels || spec.labels,
        datasets: [{ label: spec.axis || 'Sites', data: values, backgroundColor: colors, borderRadius: 3, maxBarThickness: horizontal ? 22 : 48 }],
      },
      options: {
        indexAxis: horizontal ? 'y' : 'x',
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: function (items) { return spec.labels[items[0].dataIndex]; },
              label: function (ctx) {
                var v = spec.values[ctx.dataIndex];
                return ' ' + formatNumber.format(v) + ' sites (' + pct(v, total) + ')';
              },
            },
          },
        },
        scales: {
          x: { grid: { display: horizontal, color: GRID }, beginAtZero: true, ticks: horizontal ? shareAxis : { maxRotation: 0, autoSkip: false }, title: spec.xTitle ? { display: true, text: spec.xTitle, color: '#5b6673' } : undefined },
          y: { grid: { display: !horizontal, color: GRID }, beginAtZero: true, ticks: horizontal ? { autoSkip: false } : countAxis },
        },
      },
    };
  }

  function line(spec) {
    return {
      type: 'line',
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (d, i) {
          return { label: d.label, data: d.values.map(function (v) { return 100 * v; }), borderColor: PALETTE[i % PALETTE.length], backgroundColor: PALETTE[i % PALETTE.length], tension: 0.25, pointRadius: 3 };
        }),
      },
      options: {
        plugins: {
          legend: { position: 'bottom' },
          tooltip: { callbacks: { label: function (ctx) { return ' ' + ctx.dataset.label + ': ' + ctx.parsed.y.toFixed(1) + ' %'; } } },
        },
        scales: {
          y: { beginAtZero: true, max: 100, grid: { color: GRID }, ticks: { callback: function (v) { return v + ' %'; } } },
          x: { grid: { display: false } },
        },
      },
    };
  }

  var builders = { pie: pie, bars: function (s) { return bars(s, false); }, hbars: function (s) { return bars(s, true); }, line: line };
  var canvases = document.querySelectorAll('canvas[data-chart]');
  for (var i = 0; i < canvases.length; i++) {
    var canvas = canvases[i];
    var id = canvas.getAttribute('data-chart');
    var spec = charts[id];
    try {
      if (!spec || !builders[spec.type]) throw new Error('no data for chart ' + id);
      new Chart(canvas, builders[spec.type](spec));
      canvas.setAttribute('data-rendered', 'true');
    } catch (err) {
      console.error('dnstats: chart ' + id + ' failed: ' + (err && err.message));
    }
  }
})();
