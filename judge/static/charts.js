/* Draw every <canvas data-chart> with Chart.js from the JSON block next to it.
 * No inline script: the page's content security policy allows only files from /static. */
(function () {
  "use strict";
  function draw(canvas) {
    var block = document.getElementById(canvas.id + "-data");
    if (!block || typeof Chart === "undefined") { return; }
    var series = JSON.parse(block.textContent);
    var kind = canvas.getAttribute("data-chart");
    new Chart(canvas, {
      type: kind,
      data: {
        labels: series.labels,
        datasets: [{
          label: canvas.getAttribute("data-label"),
          data: series.values,
          borderColor: "#1f5fbf",
          backgroundColor: kind === "line" ? "rgba(31, 95, 191, 0.15)" : "#1f5fbf",
          fill: kind === "line",
          stepped: canvas.getAttribute("data-stepped") === "true" ? "after" : false
        }]
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { display: false } },
        scales: { y: { beginAtZero: kind === "bar", ticks: kind === "bar" ? { precision: 0 } : {} } }  // bars count: whole numbers
      }
    });
  }
  function start() {
    var canvases = document.querySelectorAll("canvas[data-chart]");
    for (var i = 0; i < canvases.length; i++) { draw(canvases[i]); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else { start(); }
})();
