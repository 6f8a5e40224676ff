/* Dashboard charts: ECharts and the axis fitting from the same vendored files the HTML reports use; data from a
   json_script tag. */
(function () {
  var data = JSON.parse(document.getElementById("dashboard-data").textContent);
  var red = "#c8102e", green = "#1a7f37", amber = "#d4a72c", blue = "#2f6db5";
  function draw(id, option) {
    var el = document.getElementById(id);
    if (!el || !window.echarts) return;
    option = Object.assign({animation: false, textStyle: {fontFamily: "sans-serif"}}, option);
    var chart = echarts.init(el, null, {renderer: "canvas"});
    chart.setOption(option.baseOption ? option : MinshengCharts.fit(option, el));
    window.addEventListener("resize", function () { chart.resize(); });
    el.dataset.drawn = "1";
  }
  function labels(rows) { return rows.map(function (r) { return r.label; }); }
  function stacked(rows, horizontal) {
    var cat = {type: "category", data: labels(rows), axisLabel: {interval: 0, rotate: horizontal ? 0 : 30}};
    var val = {type: "value", minInterval: 1};
    return {
      tooltip: {trigger: "axis"}, legend: {top: 0},
      grid: {left: 8, right: 12, top: 30, bottom: 8, containLabel: true},
      xAxis: horizontal ? val : cat, yAxis: horizontal ? cat : val,
      series: [
        {name: gettext("在办"), type: "bar", stack: "n", data: rows.map(function (r) { return r.open - r.overdue; }), itemStyle: {color: amber}},
        {name: gettext("超时"), type: "bar", stack: "n", data: rows.map(function (r) { return r.overdue; }), itemStyle: {color: red}},
        {name: gettext("待回访"), type: "bar", stack: "n", data: rows.map(function (r) { return r.served; }), itemStyle: {color: blue}},
        {name: gettext("办结"), type: "bar", stack: "n", data: rows.map(function (r) { return r.closed; }), itemStyle: {color: green}}
      ]
    };
  }
  /* The analysis page's donut: a small slice's label is left out rather than drawn over its neighbour's. */
  draw("chart-status", MinshengCharts.donut(data.status.filter(function (s) { return s.value; })
    .map(function (s) { return {name: s.label, value: s.value}; })));
  draw("chart-need_type", stacked(data.need_type, false));
  draw("chart-area", stacked(data.area, true));
  draw("chart-satisfaction", {tooltip: {trigger: "axis"}, grid: {left: 8, right: 12, top: 20, bottom: 8, containLabel: true},
    xAxis: {type: "category", data: labels(data.satisfaction), axisLabel: {interval: 0, rotate: 30}},
    yAxis: {type: "value", min: 0, max: 5},
    series: [{type: "bar", data: data.satisfaction.map(function (r) { return r.value; }), itemStyle: {color: red},
              label: {show: true, position: "top"}}]});
}());
