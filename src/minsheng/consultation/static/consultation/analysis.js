/* Analysis dashboard charts: ECharts from the vendored file the HTML reports use; data from a json_script tag. */
(function () {
  var el = document.getElementById("analysis-data");
  if (!el || !window.echarts) return;
  var data = JSON.parse(el.textContent);
  function draw(id, option) {
    var node = document.getElementById(id);
    if (!node) return;
    var chart = echarts.init(node, null, {renderer: "canvas"});
    chart.setOption(Object.assign({animation: false, textStyle: {fontFamily: "sans-serif"},
      grid: {left: 8, right: 16, top: 36, bottom: 8, containLabel: true}, tooltip: {trigger: "axis"}}, option));
    window.addEventListener("resize", function () { chart.resize(); });
    node.dataset.drawn = "1";
  }
  function names(rows) { return rows.map(function (r) { return r.name; }); }
  function values(rows) { return rows.map(function (r) { return r.value; }); }
  function hbar(rows, color) {
    rows = rows.slice().reverse();
    return {xAxis: {type: "value"}, yAxis: {type: "category", data: names(rows),
      axisLabel: {width: 140, overflow: "truncate"}},
      series: [{type: "bar", data: values(rows), itemStyle: {color: color}}]};
  }
  draw("chart-volume", {legend: {top: 0, type: "scroll"}, xAxis: {type: "category", data: data.days},
    yAxis: {type: "value", minInterval: 1},
    series: data.channels.map(function (c) { return {name: c.name, type: "bar", stack: "n", data: c.data}; })});
  draw("chart-departments", {tooltip: {trigger: "item"}, legend: {bottom: 0, type: "scroll"},
    series: [{type: "pie", radius: ["30%", "60%"], center: ["50%", "45%"], data: data.departments}]});
  draw("chart-themes", hbar(data.themes, "#c8102e"));
  draw("chart-hot", hbar(data.hot, "#d4a72c"));
  draw("chart-letters", {legend: {top: 0}, xAxis: {type: "category", data: names(data.letters)},
    yAxis: {type: "value", minInterval: 1}, series: [
      {name: "条数", type: "bar", data: data.letters.map(function (r) { return r.messages; })},
      {name: "人数", type: "bar", data: data.letters.map(function (r) { return r.people; })},
      {name: "不同观点", type: "bar", data: data.letters.map(function (r) { return r.arguments; })}]});
})();
