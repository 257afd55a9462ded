// Draws the open statistics page's department and category charts with the locally served
// ECharts; the monthly charts on the same page are drawn by publicity/charts.js from the same
// <script type="application/json" id="chart-data"> block. As there, the CSP allows no inline
// script or style: sizes are set here through element.style, and the tooltip is drawn on the
// canvas (renderMode "richText").
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || typeof window.echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var COLORS = { licenses: "#1f6feb", penalties: "#a31515" };
  var ROW_HEIGHT = 28;
  var MARGIN = 96;  // legend, axis and padding around the bars

  // Horizontal bars, the largest at the top (ECharts draws a category axis from the bottom).
  // Fewer value-axis ticks on a narrow screen, so that "1,000" and "1,200" do not overlap.
  function bars(names, series, colors, width) {
    return {
      animation: false,
      color: colors,
      grid: { left: 8, right: 32, top: 40, bottom: 24, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, renderMode: "richText" },
      legend: { top: 8 },
      xAxis: { type: "value", minInterval: 1, splitNumber: width < 600 ? 3 : 5 },
      yAxis: { type: "category", data: names.slice().reverse(), axisLabel: { width: 200, overflow: "truncate" } },
      series: series.map(function (item) {
        return Object.assign({ type: "bar", barMaxWidth: 20, data: item.data.slice().reverse() }, item.extra || {}, { name: item.name });
      })
    };
  }

  function departmentsOption(width) {
    var departments = data.departments;
    return bars(departments.names, [
      { name: data.labels.licenses, data: departments.licenses, extra: { stack: "records" } },
      { name: data.labels.penalties, data: departments.penalties, extra: { stack: "records" } }
    ], [COLORS.licenses, COLORS.penalties], width);
  }

  function categoryOption(categories, name, color) {
    return function (width) {
      return bars(categories.names, [{ name: name, data: categories.counts, extra: { label: { show: true, position: "right" } } }], [color], width);
    };
  }

  var options = {
    "departments": { make: departmentsOption, rows: data.departments.names.length },
    "license-categories": {
      make: categoryOption(data.licenseCategories, data.labels.licenses, COLORS.licenses),
      rows: data.licenseCategories.names.length
    },
    "penalty-categories": {
      make: categoryOption(data.penaltyCategories, data.labels.penalties, COLORS.penalties),
      rows: data.penaltyCategories.names.length
    }
  };
  var charts = [];
  Array.prototype.forEach.call(document.querySelectorAll(".chart[data-chart]"), function (element) {
    var chart = options[element.dataset.chart];
    if (!chart) { return; }  // a monthly chart: publicity/charts.js draws it
    element.style.width = "100%";
    element.style.height = Math.max(160, chart.rows * ROW_HEIGHT + MARGIN) + "px";
    element.style.marginBottom = "1rem";
    var instance = window.echarts.init(element, null, { renderer: "canvas" });
    instance.setOption(chart.make(element.clientWidth));
    charts.push({ instance: instance, element: element, make: chart.make });
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) {
      chart.instance.setOption(chart.make(chart.element.clientWidth));
      chart.instance.resize();
    });
  });
})();
