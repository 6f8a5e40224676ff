/* Charts drawn alike in the offline report and on the analysis page (one file: the report inlines it, the page
   loads it): the volume over time, the donut and the bars of named counts.

   Volume: counts per hour or day are bucketed again by the period the reader picks (时/日/周/月) and drawn on a real time
   axis, every empty period as a zero: old and new submissions mixed must not look like one spike in a row of
   days that happen to have data. */
(function (root) {
  "use strict";
  var UNITS = {"小时": "hour", "日": "day", "周": "week", "月": "month"};
  var ORDER = ["hour", "day", "week", "month"];
  var MAX_BUCKETS = 20000;

  function parse(iso) { return new Date(iso.length === 10 ? iso + "T00:00:00" : iso); }  /* local time */
  function floor(d, period) {
    if (period === "hour") return new Date(d.getFullYear(), d.getMonth(), d.getDate(), d.getHours());
    if (period === "month") return new Date(d.getFullYear(), d.getMonth(), 1);
    var day = new Date(d.getFullYear(), d.getMonth(), d.getDate());
    if (period === "week") day.setDate(day.getDate() - (day.getDay() + 6) % 7);  /* weeks start on Monday */
    return day;
  }
  function next(d, period) {
    if (period === "hour") return new Date(d.getFullYear(), d.getMonth(), d.getDate(), d.getHours() + 1);
    if (period === "month") return new Date(d.getFullYear(), d.getMonth() + 1, 1);
    return new Date(d.getFullYear(), d.getMonth(), d.getDate() + (period === "week" ? 7 : 1));
  }

  /* times: ISO strings; series: [{name, data: [count per time]}] -> the same series as [[period start, count]],
     one point per period from the first to the last, zeros included. */
  function bucket(times, series, period) {
    var dates = times.map(parse), index = {}, starts = [];
    if (!dates.length) return series.map(function (s) { return {name: s.name, data: []}; });
    var last = floor(new Date(Math.max.apply(null, dates)), period);
    for (var d = floor(new Date(Math.min.apply(null, dates)), period); d <= last && starts.length < MAX_BUCKETS;
         d = next(d, period)) {
      index[+d] = starts.length;
      starts.push(+d);
    }
    var slots = dates.map(function (t) { return index[+floor(t, period)]; });
    return series.map(function (s) {
      var counts = starts.map(function () { return 0; });
      s.data.forEach(function (n, i) { if (slots[i] !== undefined) counts[slots[i]] += n; });
      return {name: s.name, data: starts.map(function (t, j) { return [t, counts[j]]; })};
    });
  }

  /* The periods worth offering for data counted per `unit`, and the one to start with (about 20 to 200 bars). */
  function periods(unit) { return ORDER.slice(ORDER.indexOf(UNITS[unit] || "day")); }
  function initial(times, unit) {
    var dates = times.map(parse);
    var days = dates.length ? (Math.max.apply(null, dates) - Math.min.apply(null, dates)) / 864e5 : 0;
    var offered = periods(unit);
    var want = days <= 3 ? "hour" : days <= 92 ? "day" : days <= 730 ? "week" : "month";
    return offered.indexOf(want) >= 0 ? want : offered[0];
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function label(t, period) {
    var d = new Date(t), day = d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
    if (period === "hour") return day + " " + pad(d.getHours()) + ":00";
    if (period === "week") return day + " 起一周";
    if (period === "month") return d.getFullYear() + "年" + (d.getMonth() + 1) + "月";
    return day;
  }

  /* The chart's option for one period: stacked bars per channel on a time axis, a slider to pick a date range. */
  var HALF = {hour: 18e5, day: 432e5, week: 3024e5, month: 1314e6};  /* half a period, in ms */
  function option(times, series, period) {
    var data = bucket(times, series, period);
    var starts = data.length ? data[0].data.map(function (p) { return p[0]; }) : [];
    return {
      tooltip: {trigger: "axis", formatter: function (items) {
        var total = 0, lines = items.map(function (p) {
          total += p.value[1];
          return p.marker + p.seriesName + "：" + p.value[1];
        });
        return label(items[0].value[0], period) + "（共 " + total + " 条）<br>" + lines.join("<br>");
      }},
      /* half a period of room at both ends, so the first and the last bar are drawn whole */
      xAxis: {type: "time", axisLabel: {hideOverlap: true}, minInterval: period === "month" ? 28 * 864e5 : period === "week" ? 7 * 864e5 : 0,
              min: starts.length ? starts[0] - HALF[period] : null,
              max: starts.length ? starts[starts.length - 1] + HALF[period] : null},
      yAxis: {type: "value", minInterval: 1},
      dataZoom: [{type: "inside"}, {type: "slider", bottom: 8, height: 22}],
      series: data.map(function (s) {
        return {name: s.name, type: "bar", stack: "总量", barMaxWidth: 28, emphasis: {focus: "series"}, data: s.data};
      })
    };
  }

  /* Draw `chart` and wire the period buttons inside `picker` (buttons with data-period; those not offered for the
     data's unit are hidden). */
  function mount(chart, picker, times, series, unit, extra) {
    var offered = periods(unit);
    function show(period) {
      chart.setOption(Object.assign({}, extra || {}, option(times, series, period)), {replaceMerge: ["series"]});
      if (picker) {
        picker.querySelectorAll("[data-period]").forEach(function (b) {
          b.setAttribute("aria-pressed", String(b.getAttribute("data-period") === period));
        });
      }
      chart.getDom().setAttribute("data-period", period);
    }
    if (picker) {
      picker.querySelectorAll("[data-period]").forEach(function (b) {
        b.hidden = offered.indexOf(b.getAttribute("data-period")) < 0;
        b.addEventListener("click", function () { show(b.getAttribute("data-period")); });
      });
    }
    show(initial(times, unit));
  }

  /* A donut whose labels fit: outside with room to break a long name on a wide screen; on a phone (narrow
     container) the percentages inside the ring and the names in a legend that wraps below it, never cut off. */
  function donut(data, extra) {
    var titled = !!(extra && extra.title);  /* a label over the ring's top must stay clear of the title */
    return {
      baseOption: Object.assign({
        tooltip: {trigger: "item", formatter: "{b}：{c} 条（{d}%）"},
        legend: {type: "scroll", bottom: 0},
        series: [{type: "pie", radius: titled ? ["28%", "50%"] : ["32%", "58%"], center: ["50%", titled ? "52%" : "46%"], avoidLabelOverlap: true, data: data,
          minShowLabelAngle: 4, labelLayout: {hideOverlap: true},
          label: {formatter: "{b}\n{d}%", width: 90, overflow: "break"}}]
      }, extra || {}),
      media: [{query: {maxWidth: 520}, option: {
        legend: {type: "plain", bottom: 0, left: "center", itemWidth: 12, itemHeight: 10, itemGap: 8,
                 textStyle: {fontSize: 12}},
        series: [{radius: ["26%", "52%"], center: ["50%", "40%"],
          /* whole percentages, and none on a slice too thin to hold one: "5.31%" beside "4.39%" ran together */
          percentPrecision: 0, minShowLabelAngle: 20,
          label: {position: "inside", formatter: "{d}%", fontSize: 11, color: "#fff", width: null},
          labelLine: {show: false}}]}}]
    };
  }


  /* Axis labels that fit the chart's width, for every bar chart of the report, the analysis page and the
     assistance dashboard: on a phone the numbers of a value or time axis ran together ("0100200300", "319月2")
     and named bars took the whole width for their names. Numbers that would touch are dropped (every other one);
     a category's name gets at most 40 % of the width, cut with "…"; and a row of categories too narrow for their
     names (under 4.5 characters each, or slanted on a phone) is drawn on its side, one bar a line, the chart as
     tall as its bars need; a value written on top of a bar then goes at its end, not over the bar above, with room
     kept on the right for the longest (a 4.8 of 5 was cut to "4." on a phone). */
  var CHAR = 12;  /* px of one character of an axis label */
  var SIDEWAYS = {top: "right", bottom: "left", insideTop: "insideRight", insideBottom: "insideLeft"};
  function axes(a) { return a === undefined ? [] : Array.isArray(a) ? a : [a]; }
  function fit(option, el) {
    var width = el.clientWidth;
    var all = axes(option.xAxis).concat(axes(option.yAxis));
    all.forEach(function (axis) {
      axis.axisLabel = Object.assign({}, axis.axisLabel);
      if (axis.type !== "category") {
        axis.axisLabel.hideOverlap = true;
        if (width < 520 && option.legend) delete axis.name;  /* over the legend on a phone; the legend says it */
        return;
      }
      if (!axis.axisLabel.width) return;
      axis.axisLabel.width = Math.min(axis.axisLabel.width, Math.round(width * 0.4));
      var grid = option.grid;  /* a margin set for the names' full width shrinks with them */
      if (grid && typeof grid.left === "number") grid.left = Math.min(grid.left, axis.axisLabel.width + 16);
    });
    var x = axes(option.xAxis)[0], y = axes(option.yAxis)[0];
    var slanted = x && x.axisLabel.rotate && width < 520;  /* a slanted first name runs off the left edge */
    if (x && y && x.type === "category" && x.data && (slanted || width / x.data.length < 4.5 * CHAR)) {
      delete x.axisLabel.rotate;
      x.axisLabel = Object.assign(x.axisLabel, {interval: 0, width: Math.round(width * 0.4), overflow: "truncate"});
      if (axes(option.xAxis).length > 1 || axes(option.yAxis).length > 1) {  /* two value axes: names stand up */
        x.axisLabel = Object.assign(x.axisLabel, {rotate: 90, width: 90});
        return option;
      }
      option.xAxis = y;
      option.yAxis = Object.assign(x, {inverse: true});
      var longest = 0;  /* a value now written after its bar's end needs room there, or the longest bar's is cut */
      (option.series || []).forEach(function (s) {
        if (!s.label || !SIDEWAYS[s.label.position]) return;
        s.label = Object.assign({}, s.label, {position: SIDEWAYS[s.label.position]});
        (s.data || []).forEach(function (v) { longest = Math.max(longest, String(v && v.value !== undefined ? v.value : v).length); });
      });
      if (longest && option.grid) option.grid.right = Math.max(option.grid.right || 0, Math.ceil(longest * CHAR * 0.6) + 10);
      /* room for the names, unless the grid already makes it (containLabel): else it is left empty twice over */
      if (option.grid && typeof option.grid.left === "number" && !option.grid.containLabel) option.grid.left = x.axisLabel.width + 16;
      var high = 80 + 2 * CHAR * x.data.length;
      if (el.clientHeight < high) el.style.height = high + "px";
    }
    return option;
  }

  /* Bars side by side, the largest on top, for rows of {name, value} given the largest first: the analysis page's
     themes, hot issues and regions, and the report's regions. */
  function hbar(rows, color) {
    rows = rows.slice().reverse();
    return {xAxis: {type: "value"}, yAxis: {type: "category", data: rows.map(function (r) { return r.name; }),
      axisLabel: {width: 140, overflow: "truncate"}},
      series: [{type: "bar", data: rows.map(function (r) { return r.value; }), itemStyle: {color: color}}]};
  }

  root.MinshengCharts = {volume: {bucket: bucket, periods: periods, initial: initial, option: option, mount: mount},
                         donut: donut, fit: fit, hbar: hbar};
})(window);
