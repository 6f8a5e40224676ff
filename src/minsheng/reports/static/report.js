/* Minsheng report page: charts from the embedded JSON, sortable and searchable tables. No network. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("report-data").textContent);
  var PALETTE = ["#b42318", "#1f6feb", "#2da44e", "#bf8700", "#8250df", "#0a7ea4", "#d1242f", "#57606a",
                 "#e16f24", "#1a7f37"];
  var nf = new Intl.NumberFormat("zh-CN");

  function esc(s) {
    return String(s == null ? "" : s).replace(/[&<>"]/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;"}[c];
    });
  }
  var base = {
    color: PALETTE, animationDuration: 300,
    textStyle: {fontFamily: "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif"},
    toolbox: {right: 10, feature: {saveAsImage: {title: "保存为图片"}}}
  };

  var builders = {
    channels: function (d) {
      return MinshengCharts.donut(d, Object.assign({}, base, {
        title: {text: "各渠道建议数", left: "center", textStyle: {fontSize: 14}}}));
    },
    volume: function (d) {  /* the series, axes and period picker come from shared-charts.js */
      return {title: {text: "建议数量（按渠道）", left: "center", textStyle: {fontSize: 14}},
        legend: {top: 34, type: "scroll"}, grid: {left: 60, right: 30, top: 72, bottom: 60},
        xAxis: {type: "time"}, yAxis: {type: "value"}};
    },
    departments: function (d) {
      return {title: {text: "各部门建议数、待复核数与平均置信度", left: "center", textStyle: {fontSize: 14}},
        tooltip: {trigger: "axis"}, legend: {top: 34},
        grid: {left: 60, right: 60, top: 72, bottom: 90},
        xAxis: {type: "category", data: d.names, axisLabel: {interval: 0, rotate: d.names.length > 8 ? 35 : 0}},
        yAxis: [{type: "value", name: "建议数"}, {type: "value", name: "置信度", min: 0, max: 1}],
        dataZoom: d.names.length > 20 ? [{type: "slider", bottom: 4, endValue: 19}] : [],
        series: [{name: "建议数", type: "bar", barMaxWidth: 48, data: d.messages},
                 {name: "待人工复核", type: "bar", barMaxWidth: 48, data: d.review},
                 {name: "平均置信度", type: "line", yAxisIndex: 1, data: d.confidence}]};
    },
    regions: function (d) {  /* the bars of the platform's overview (shared-charts.js), titled as the report's */
      return Object.assign(MinshengCharts.hbar(d, "#2b6cb0"), {
        title: {text: "各地区建议数（前 " + d.length + " 个）", left: "center", textStyle: {fontSize: 14}},
        tooltip: {trigger: "axis", axisPointer: {type: "shadow"}},
        grid: {left: 8, right: 40, top: 40, bottom: 8, containLabel: true}});
    },
    themes: function (d) {
      return {title: {text: "主题分布（点击大类展开）", left: "center", textStyle: {fontSize: 14}},
        tooltip: {formatter: function (p) {
          var x = p.data || {};
          return "<b>" + esc(p.name) + "</b><br>建议数：" + nf.format(p.value) +
            (x.people ? "　人数：" + nf.format(x.people) : "") +
            (x.keywords ? "<br>关键词：" + esc(x.keywords) : "") +
            (x.quote ? "<br><span style=\"display:inline-block;max-width:360px;white-space:normal\">“" +
              esc(x.quote) + "”</span>" : "");
        }},
        series: [{type: "treemap", name: "全部主题", data: d, leafDepth: 1, roam: false, top: 36, bottom: 36,
          breadcrumb: {bottom: 4},
          label: {formatter: function (p) { return p.name + "\n" + nf.format(p.value); }}, upperLabel: {show: true, height: 22},
          levels: [{itemStyle: {gapWidth: 3, borderColor: "#fff"}},
                   {colorSaturation: [0.35, 0.6], itemStyle: {gapWidth: 1, borderColorSaturation: 0.6}}]}]};
    },
    suggestions: function (d) {
      return {title: {text: "提出人数最多的建议（前 " + d.length + " 条）", left: "center", textStyle: {fontSize: 14}},
        tooltip: {trigger: "axis", axisPointer: {type: "shadow"}, formatter: function (ps) {
          var x = d[ps[0].dataIndex];
          return esc(x.headline) + "<br>人数：" + nf.format(x.people) + "　建议数：" + nf.format(x.messages) +
            (x.department ? "<br>部门：" + esc(x.department) : "");
        }},
        grid: {left: 300, right: 40, top: 40, bottom: 30},
        xAxis: {type: "value", name: "人数"},
        yAxis: {type: "category", inverse: true, data: d.map(function (x) { return x.rank + ". " + x.headline; }),
          axisLabel: {width: 280, overflow: "truncate", interval: 0}},
        series: [{type: "bar", data: d.map(function (x) { return x.people; }), itemStyle: {color: "#2f6fb3"}}]};
    },
    hot: function (d) {
      var names = d.map(function (x) { return x.name; });
      var heats = d.map(function (x) { return x.heat; });
      return {title: {text: "热点问题时间线（前 " + d.length + " 个）", left: "center", textStyle: {fontSize: 14}},
        tooltip: {formatter: function (p) {
          var x = d[p.dataIndex];
          return esc(x.name) + "<br>热度：" + x.heat + "　建议数：" + nf.format(x.messages) +
            "<br>" + esc(x.start.replace("T", " ")) + " 至 " + esc(x.end.replace("T", " "));
        }},
        grid: {left: 250, right: 40, top: 40, bottom: 60},
        xAxis: {type: "time", axisLabel: {formatter: "{MM}-{dd}"}}, yAxis: {type: "category", data: names, inverse: true,
          axisLabel: {width: 230, overflow: "truncate", interval: 0}},
        dataZoom: [{type: "slider", xAxisIndex: 0, bottom: 10}, {type: "inside", xAxisIndex: 0}],
        visualMap: {show: false, dimension: 3, min: Math.min.apply(null, heats), max: Math.max.apply(null, heats),
          inRange: {color: ["#f4b7a6", "#b42318"]}},
        series: [{type: "custom", encode: {x: [1, 2], y: 0},
          data: d.map(function (x, i) { return [i, x.start, x.end, x.heat]; }),
          renderItem: function (params, api) {
            var start = api.coord([api.value(1), api.value(0)]);
            var end = api.coord([api.value(2), api.value(0)]);
            var h = api.size([0, 1])[1] * 0.6;
            var rect = echarts.graphic.clipRectByRect(
              {x: start[0], y: start[1] - h / 2, width: Math.max(end[0] - start[0], 3), height: h},
              {x: params.coordSys.x, y: params.coordSys.y, width: params.coordSys.width, height: params.coordSys.height});
            return rect && {type: "rect", shape: rect, style: api.style()};
          }}]};
    },
    campaigns: function (d) {
      var max = Math.max.apply(null, d.map(function (x) { return x.messages; }).concat([1]));
      return {title: {text: "参与人数与不同论点数", left: "center", textStyle: {fontSize: 14}},
        tooltip: {formatter: function (p) {
          var x = d[p.dataIndex];
          return "<b>" + esc(x.id) + "</b><br>参与人数：" + nf.format(x.people) + "<br>不同论点：" +
            nf.format(x.distinct) + "<br>建议数：" + nf.format(x.messages) +
            "<br><span style=\"display:inline-block;max-width:320px;white-space:normal\">模板：" + esc(x.template) + "</span>";
        }},
        grid: {left: 60, right: 30, top: 50, bottom: 50},
        xAxis: {type: "value", name: "参与人数", nameLocation: "middle", nameGap: 28, min: 0},
        yAxis: {type: "value", name: "不同论点数", minInterval: 1, min: 0},
        series: [{type: "scatter", clip: false, data: d.map(function (x) { return [x.people, x.distinct, x.messages]; }),
          symbolSize: function (v) { return 8 + 32 * Math.sqrt(v[2] / max); }, itemStyle: {opacity: 0.7}}]};
    },
    arrivals: function (d) {
      return {title: {text: "组织化活动的到达时间（" + d.unit + "建议数）", left: "center", textStyle: {fontSize: 14}},
        tooltip: {trigger: "axis"}, legend: {top: 34, type: "scroll"},
        grid: {left: 50, right: 30, top: 72, bottom: 60},
        xAxis: {type: "time"}, yAxis: {type: "value", name: "建议数"},
        dataZoom: [{type: "inside"}, {type: "slider", bottom: 10}],
        series: d.series.map(function (s) { return {name: s.name, type: "bar", barMaxWidth: 12, data: s.data}; })};
    },
    replies: function (d) {
      return {title: {text: "各部门答复平均得分", left: "center", textStyle: {fontSize: 14}},
        tooltip: {trigger: "axis"}, legend: {top: 34},
        grid: {left: 50, right: 30, top: 72, bottom: 80},
        xAxis: {type: "category", data: d.names, axisLabel: {interval: 0, rotate: d.names.length > 8 ? 35 : 0}},
        yAxis: {type: "value", min: 0, max: 1},
        series: d.metrics.map(function (m) { return {name: m.name, type: "bar", barMaxWidth: 40, data: m.data}; })};
    },
    rejects: function (d) {
      return {title: {text: "拒收原因", left: "center", textStyle: {fontSize: 14}}, tooltip: {},
        grid: {left: 150, right: 40, top: 40, bottom: 30},
        xAxis: {type: "value"}, yAxis: {type: "category", inverse: true, data: d.map(function (x) { return x.name; }),
          axisLabel: {width: 140, overflow: "truncate"}},
        series: [{type: "bar", name: "行数", data: d.map(function (x) { return x.value; }), barMaxWidth: 28}]};
    },
    masked: function (d) {
      return {title: {text: "已脱敏的个人信息", left: "center", textStyle: {fontSize: 14}},
        tooltip: {trigger: "axis"}, legend: {top: 34},
        grid: {left: 50, right: 30, top: 72, bottom: 30},
        xAxis: {type: "category", data: d.kinds}, yAxis: {type: "value", minInterval: 1},
        series: d.series.map(function (s) {
          return {type: "bar", name: s.name, data: s.data, barMaxWidth: 32, label: {show: true, position: "top"},
            itemStyle: {color: s.key === "masked_at_intake" ? "#8250df" : "#57606a"}};
        })};
    }
  };

  var charts = [];
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var key = el.getAttribute("data-chart");
    try {
      if (key === "hot") el.style.height = Math.max(300, 100 + 26 * DATA.hot.length) + "px";
      if (key === "regions") el.style.height = Math.max(240, 70 + 24 * DATA.regions.length) + "px";
      var option = builders[key](DATA[key]);
      option = option.baseOption ? option : MinshengCharts.fit(Object.assign({}, base, option), el);
      var chart = echarts.init(el, null, {renderer: "canvas", locale: "ZH"});
      chart.setOption(option);
      if (key === "volume") {
        MinshengCharts.volume.mount(chart, document.getElementById("volume-periods"), DATA.volume.times,
                             DATA.volume.series, DATA.volume.unit);
      }
      charts.push(chart);
    } catch (err) {
      console.error("chart " + key + " failed: " + err);
    }
  });
  var resizeTimer = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () { charts.forEach(function (c) { c.resize(); }); }, 150);
  });

  /* Tables: click a header to sort (numbers by value, text in Chinese collation); type to filter rows. */
  var collator = new Intl.Collator("zh-CN", {numeric: true});
  function key(cell) {
    var v = cell.getAttribute("data-v");
    if (v !== null) { var n = Number(v); return isNaN(n) ? v : n; }
    return cell.textContent;
  }
  document.addEventListener("click", function (ev) {
    var cell = ev.target.closest && ev.target.closest("td.long");
    if (cell) cell.classList.toggle("open");
  });
  document.querySelectorAll("[data-table]").forEach(function (block) {
    var table = block.querySelector("table");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var count = block.querySelector(".table-count");
    var headers = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headers, function (th, col) {
      th.addEventListener("click", function () {
        var dir = th.getAttribute("aria-sort") === "descending" ? 1 : -1;
        Array.prototype.forEach.call(headers, function (h) { h.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
        rows.sort(function (a, b) {
          var x = key(a.cells[col]), y = key(b.cells[col]);
          if (x === "" && y !== "") return 1;
          if (y === "" && x !== "") return -1;
          var c = (typeof x === "number" && typeof y === "number") ? x - y : collator.compare(String(x), String(y));
          return dir * c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
    var search = block.querySelector(".table-search");
    var filter = block.querySelector(".table-filter");
    function apply() {
      var q = search.value.trim().toLowerCase();
      var f = filter ? filter.value : "";
      var col = filter ? Number(filter.getAttribute("data-col")) : -1;
      var shown = 0;
      rows.forEach(function (r) {
        var hit = (!q || r.textContent.toLowerCase().indexOf(q) >= 0) && (!f || r.cells[col].textContent === f);
        r.hidden = !hit;
        if (hit) shown += 1;
      });
      count.textContent = (q || f) ? "显示 " + shown + " / " + rows.length + " 行" : "共 " + rows.length + " 行";
    }
    search.addEventListener("input", apply);
    if (filter) filter.addEventListener("change", apply);
  });

  window.__reportReady = performance.now();
  document.body.setAttribute("data-ready", String(charts.length));
})();
