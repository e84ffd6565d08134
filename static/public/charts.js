/* Draws the dashboard and goal charts with Apache ECharts from the JSON the page embeds
   (json_script). All text comes from the page, already translated. */
(function () {
  "use strict";

  function readData(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  var charts = (window.jinanCharts = window.jinanCharts || {});  // places-map.js may be first

  // Tooltips are HTML: every piece of data in them (a unit, a label, a date) is escaped, since a
  // goal's unit or a label may hold anything staff or a document typed.
  function text(value) {
    return String(value === null || value === undefined ? "" : value)
      .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }

  function mount(id, option) {
    var el = document.getElementById(id);
    if (!el || !window.echarts) return null;
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option);
    el.setAttribute("data-rendered", "true");
    charts[id] = chart;
    window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  }

  var textStyle = { fontFamily: getComputedStyle(document.body).fontFamily, color: "#1f2933" };
  // A status's colour as the page defines it (--status-<status>, from apps/goals/status.py).
  function statusColour(status) {
    return getComputedStyle(document.documentElement).getPropertyValue("--status-" + status).trim();
  }
  var expectedColour = statusColour("on_track");  // the expected line: where a goal on track stands
  var targetColour = statusColour("off_track");
  var narrow = window.matchMedia("(max-width: 640px)").matches;

  function dashboard(data) {
    if (data.status && data.status.length) {
      mount("chart-status", {
        textStyle: textStyle,
        grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
        tooltip: { trigger: "item" },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", inverse: true, data: data.status.map(function (s) { return s.name; }) },
        series: [{
          type: "bar", name: data.labels.goals, barMaxWidth: 22,
          label: { show: true, position: "right" },
          data: data.status.map(function (s) { return { value: s.value, itemStyle: { color: s.colour } }; })
        }]
      });
    }
    var cat = data.by_category;
    if (cat && cat.names.length) {
      var el = document.getElementById("chart-category");
      if (el) el.style.height = Math.max(180, 44 * cat.names.length + 70) + "px";
      mount("chart-category", {
        textStyle: textStyle,
        legend: { top: 0, type: "scroll" },
        grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", inverse: true, data: cat.names,
                 axisLabel: { width: narrow ? 90 : 180, overflow: "truncate" } },
        series: cat.series.map(function (s) {
          return { type: "bar", stack: "goals", name: s.name, data: s.values, barMaxWidth: 24,
                   itemStyle: { color: s.colour } };
        })
      });
    }
  }

  function overTime(data) {
    var time = data.over_time;
    if (!time || !time.days.length) return;
    mount("chart-over-time", {
      textStyle: textStyle,
      legend: { top: 0, type: "scroll" },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "category", data: time.day_labels || time.days },
      yAxis: { type: "value", minInterval: 1 },
      series: time.series.map(function (s) {
        return { type: "bar", stack: "goals", name: s.name, data: s.values, barMaxWidth: 40,
                 itemStyle: { color: s.colour } };
      })
    });
  }

  function goal(data) {
    var series = [];
    var labels = data.labels;
    var minDate = data.period[0];
    var maxDate = data.period[1];
    data.actual.forEach(function (p) {
      if (p.date < minDate) minDate = p.date;
      if (p.date > maxDate) maxDate = p.date;
    });
    if (data.actual.length) {
      series.push({
        name: labels.actual, type: "line", z: 3, symbolSize: 9, lineStyle: { width: 3, color: "#1f5fa8" },
        itemStyle: { color: "#1f5fa8" },
        data: data.actual.map(function (p) {
          // A sample figure is only ever called a sample, never "final".
          var note = [p.sample ? labels.sample : (p.final ? labels.final : labels.provisional)];
          return {
            value: [p.date, p.value], symbol: p.sample ? "emptyTriangle" : "circle", note: note.join(" · "),
            dateLabel: p.date_label
          };
        }),
        tooltip: {
          formatter: function (params) {
            return text(params.seriesName) + "<br>" + text(params.data.dateLabel) + ": <b>" + text(params.value[1]) +
              " " + text(data.unit) + "</b><br>" + text(params.data.note);
          }
        },
        markLine: {
          symbol: "none", silent: true, label: { formatter: labels.today, position: "insideEndTop" },
          lineStyle: { color: "#8a939e", type: "dotted" }, data: [{ xAxis: data.today }]
        }
      });
    }
    if (data.target !== null) {
      series.push({
        name: labels.target, type: "line", symbol: "none", lineStyle: { color: targetColour, type: "dashed", width: 2 },
        itemStyle: { color: targetColour },
        data: [[minDate, data.target], [maxDate, data.target]]
      });
    }
    if (data.target_max !== null) {
      series.push({
        name: labels.target_max, type: "line", symbol: "none", lineStyle: { color: targetColour, type: "dotted" },
        itemStyle: { color: targetColour },
        data: [[minDate, data.target_max], [maxDate, data.target_max]]
      });
    }
    if (data.expected) {
      series.push({
        name: labels.expected, type: "line", symbol: "none", lineStyle: { color: expectedColour, type: [6, 4], width: 2 },
        itemStyle: { color: expectedColour }, data: data.expected
      });
    }
    mount("chart-goal", {
      textStyle: textStyle,
      legend: { top: 0 },
      grid: { left: 8, right: 24, top: 56, bottom: 8, containLabel: true },
      tooltip: { trigger: "item" },
      xAxis: { type: "time", min: minDate, max: maxDate },
      yAxis: { type: "value", name: data.unit, scale: false },
      series: series
    });
  }

  function indicator(data) {
    var labels = data.labels;
    mount("chart-indicator", {
      textStyle: textStyle,
      legend: { top: 0 },
      grid: { left: 8, right: 24, top: 40, bottom: 8, containLabel: true },
      tooltip: { trigger: "item" },
      xAxis: { type: "category", data: data.years },
      yAxis: { type: "value", name: data.unit },
      series: [
        {
          name: labels.result, type: "bar", barMaxWidth: 36, itemStyle: { color: "#1f5fa8" },
          data: data.results.map(function (r) {
            if (!r || r.value === null) return null;
            var note = [r.period, r.final ? labels.final : (r.estimate ? labels.estimate : labels.provisional)];
            if (r.sample) note.push(labels.sample);
            return { value: r.value, note: note.join(" · "),
                     itemStyle: r.sample ? { color: "#ffffff", borderColor: "#1f5fa8", borderType: "dashed" } : undefined };
          }),
          tooltip: {
            formatter: function (p) {
              return text(p.seriesName) + " " + text(p.name) + ": <b>" + text(p.value) + " " + text(data.unit) +
                "</b><br>" + text(p.data.note);
            }
          }
        },
        {
          name: labels.target, type: "line", symbol: "diamond", symbolSize: 12, connectNulls: false,
          lineStyle: { color: targetColour, type: "dashed", width: 2 }, itemStyle: { color: targetColour },
          data: data.targets
        }
      ]
    });
  }

  var dashboardData = readData("dashboard-data");
  if (dashboardData) { dashboard(dashboardData); overTime(dashboardData); }
  var goalData = readData("goal-data");
  if (goalData) goal(goalData);
  var indicatorData = readData("indicator-data");
  if (indicatorData) indicator(indicatorData);
})();
