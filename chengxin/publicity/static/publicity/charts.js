// Draws the 双公示 dashboards' charts with the locally served ECharts.
// The data comes from <script type="application/json" id="chart-data"> (Django's json_script):
// the CSP allows no inline script or style, so sizes are set here through element.style and the
// tooltip is drawn on the canvas (renderMode "richText") instead of as HTML with inline styles.
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || typeof window.echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var HEIGHT = 320;
  var COLORS = { licenses: "#1f6feb", penalties: "#a31515", rate: "#1a7f37" };
  var base = {
    animation: false,
    grid: { left: 48, right: 24, top: 48, bottom: 32 },
    tooltip: { trigger: "axis", renderMode: "richText" },
    legend: { top: 8 },
    xAxis: { type: "category", data: data.months }
  };

  function recordsOption() {
    return Object.assign({}, base, {
      color: [COLORS.licenses, COLORS.penalties],
      yAxis: { type: "value", name: data.labels.records, minInterval: 1 },
      series: [
        { name: data.labels.licenses, type: "bar", data: data.licenses },
        { name: data.labels.penalties, type: "bar", data: data.penalties }
      ]
    });
  }

  function rateOption() {
    return Object.assign({}, base, {
      color: [COLORS.rate],
      yAxis: { type: "value", name: data.labels.onTimeRate, min: 0, max: 100 },
      series: [
        // Months without a verdict are gaps (null), not zero.
        { name: data.labels.onTimeRate, type: "line", data: data.onTimeRate, connectNulls: false, symbolSize: 7 }
      ]
    });
  }

  var options = { "records": recordsOption, "on-time-rate": rateOption };
  var charts = [];
  Array.prototype.forEach.call(document.querySelectorAll(".chart[data-chart]"), function (element) {
    var make = options[element.dataset.chart];
    if (!make) { return; }
    element.style.width = "100%";
    element.style.height = HEIGHT + "px";
    element.style.marginBottom = "1rem";
    var chart = window.echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(make());
    charts.push(chart);
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
