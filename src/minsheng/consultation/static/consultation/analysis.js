/* Analysis dashboard charts: ECharts and the shared volume, donut and bar charts from the files the HTML reports inline;
   data from a json_script tag. */
(function () {
  var el = document.getElementById("analysis-data");
  if (!el || !window.echarts || !window.MinshengCharts) return;
  var data = JSON.parse(el.textContent);
  var BASE = {animation: false, textStyle: {fontFamily: "sans-serif"},
    grid: {left: 8, right: 16, top: 36, bottom: 8, containLabel: true}, tooltip: {trigger: "axis"}};
  function draw(id, option) {
    var node = document.getElementById(id);
    if (!node) return null;
    option = option.baseOption ? option : MinshengCharts.fit(Object.assign({}, BASE, option), node);
    var chart = echarts.init(node, null, {renderer: "canvas", locale: "ZH"});
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
    node.dataset.drawn = "1";
    return chart;
  }
  function names(rows) { return rows.map(function (r) { return r.name; }); }
  var hbar = MinshengCharts.hbar;
  var volume = draw("chart-volume", {legend: {top: 0, type: "scroll"}, grid: {left: 8, right: 16, top: 36, bottom: 40,
    containLabel: true}});
  if (volume) {
    MinshengCharts.volume.mount(volume, document.getElementById("volume-periods"), data.days, data.channels, "日");
  }
  draw("chart-departments", MinshengCharts.donut(data.departments, {animation: false}));
  draw("chart-themes", hbar(data.themes, "#c8102e"));
  draw("chart-hot", hbar(data.hot, "#d4a72c"));
  var regions = draw("chart-regions", hbar(data.regions || [], "#2b6cb0"));
  if (regions) {  // a bar opens its region's digest, as the links under the chart do
    regions.on("click", function (p) {
      var href = document.getElementById("chart-regions").dataset.href;
      window.location.href = href + "?region=" + encodeURIComponent(p.name);
    });
  }
  var letters = data.letters.slice().reverse();  // horizontal like the others: a template's words fit a row
  draw("chart-letters", {legend: {top: 0}, yAxis: {type: "category", data: names(letters),
    axisLabel: {width: 140, overflow: "truncate"}}, xAxis: {type: "value", minInterval: 1}, series: [
      {name: gettext("条数"), type: "bar", data: letters.map(function (r) { return r.messages; })},
      {name: gettext("人数"), type: "bar", data: letters.map(function (r) { return r.people; })},
      {name: gettext("不同观点"), type: "bar", data: letters.map(function (r) { return r.arguments; })}]});
})();
