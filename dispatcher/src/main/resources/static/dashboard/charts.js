// Charts with Chart.js (the webjar's UMD build, loaded by index.html as window.Chart). A chart is
// created once and then updated in place on each refresh. Each canvas has a text label (role=img)
// and the same numbers are always in a table next to it, so nothing depends on seeing the chart.

const COLORS = ['#0b5cad', '#a4161a', '#1a6b34', '#7a4b00', '#5b3d99'];

function chartLib() {
  return typeof window !== 'undefined' ? window.Chart : undefined;
}

function canvasIn(box, label) {
  let canvas = box.querySelector('canvas');
  if (!canvas) {
    canvas = document.createElement('canvas');
    canvas.setAttribute('role', 'img');
    box.append(canvas);
  }
  canvas.setAttribute('aria-label', label);
  canvas.textContent = label;
  return canvas;
}

function update(chart, labels, series) {
  chart.data.labels = labels;
  series.forEach((s, i) => {
    if (chart.data.datasets[i]) chart.data.datasets[i].data = s.data;
  });
  chart.update('none');
  return chart;
}

const common = {
  animation: false,
  responsive: true,
  maintainAspectRatio: false,
  plugins: {legend: {position: 'bottom', labels: {usePointStyle: true, color: '#1b1f24'}}},
};

/** Grouped bars: {label, labels, series: [{label, data}], money}. Returns the chart (or null). */
export function barChart(box, existing, {label, labels, series, money}) {
  const Chart = chartLib();
  if (!Chart) {
    box.textContent = 'Charts are unavailable (Chart.js did not load); the table has the numbers.';
    return null;
  }
  if (existing && existing.data.datasets.length === series.length) return update(existing, labels, series);
  if (existing) existing.destroy();
  return new Chart(canvasIn(box, label), {
    type: 'bar',
    data: {
      labels,
      datasets: series.map((s, i) => ({label: s.label, data: s.data, backgroundColor: COLORS[i % COLORS.length]})),
    },
    options: Object.assign({}, common, {
      // counts are whole; dollars of a short window are often fractions of a cent
      scales: {y: {beginAtZero: true, ticks: money ? {callback: (v) => '$' + Number(v).toLocaleString(undefined, {maximumFractionDigits: 4})} : {precision: 0}}},
    }),
  });
}

/** Lines over labelled points: {label, labels, series: [{label, data, dashed}], money}. */
export function lineChart(box, existing, {label, labels, series, money}) {
  const Chart = chartLib();
  if (!Chart) {
    box.textContent = 'Charts are unavailable (Chart.js did not load); the table has the numbers.';
    return null;
  }
  if (existing && existing.data.datasets.length === series.length) return update(existing, labels, series);
  if (existing) existing.destroy();
  return new Chart(canvasIn(box, label), {
    type: 'line',
    data: {
      labels,
      datasets: series.map((s, i) => ({
        label: s.label,
        data: s.data,
        borderColor: COLORS[i % COLORS.length],
        backgroundColor: COLORS[i % COLORS.length],
        borderDash: s.dashed ? [6, 4] : undefined,
        stepped: true,
        pointRadius: 2,
        pointStyle: 'line',
      })),
    },
    options: Object.assign({}, common, {
      scales: {
        y: {
          beginAtZero: true,
          ticks: money ? {callback: (v) => '$' + Number(v).toLocaleString(undefined, {maximumFractionDigits: 4})} : {},
        },
      },
    }),
  });
}
