/* Draws the map of Jinan's units with Apache ECharts from the payload templates/public/_place_map.html
   embeds (json_script): each unit coloured by its status (the site's --status-<status> colours) or
   shaded by its value, and its name with its status or value written on it, so no unit is told by
   colour alone. The table beside the map stays the accessible version; if the boundaries cannot be
   loaded the map hides itself and the table is all there is. */
(function () {
  "use strict";

  var charts = (window.jinanCharts = window.jinanCharts || {});
  var maps = {};  // boundaries URL -> promise of the registered map's name and its GeoJSON
  var NO_DATA = "#e4e7eb";
  var INK = "#1f2933";
  var LOW = [220, 232, 245];  // the value shading runs from this light blue …
  var HIGH = [31, 95, 168];  // … to the site's blue (#1f5fa8)

  function text(value) {
    return String(value === null || value === undefined ? "" : value)
      .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }

  function statusColour(status) {
    return getComputedStyle(document.documentElement).getPropertyValue("--status-" + status).trim();
  }

  function rgb(colour) {
    var hex = colour.replace("#", "");
    if (hex.length === 3) hex = hex.replace(/(.)/g, "$1$1");
    return [0, 2, 4].map(function (i) { return parseInt(hex.substr(i, 2), 16); });
  }

  function luminance(channels) {
    var c = channels.map(function (v) {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }

  // White or ink, whichever reads better on a unit's fill.
  function labelColour(fill) {
    var l = luminance(rgb(fill));
    return (1.05) / (l + 0.05) >= (l + 0.05) / (luminance(rgb(INK)) + 0.05) ? "#ffffff" : INK;
  }

  function shade(t) {
    return "#" + LOW.map(function (low, i) {
      var v = Math.round(low + (HIGH[i] - low) * t);
      return (v < 16 ? "0" : "") + v.toString(16);
    }).join("");
  }

  function loadMap(url) {
    if (!maps[url]) {
      maps[url] = fetch(url, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error(url + ": " + response.status);
          return response.json();
        })
        .then(function (geo) {
          var name = "places:" + url;
          window.echarts.registerMap(name, geo);
          return { name: name, geo: geo };
        });
    }
    return maps[url];
  }

  // One data item per unit on the map, whether or not the page has a row for it.
  function items(payload, geo) {
    var rows = {};
    payload.rows.forEach(function (row) { rows[row.code] = row; });
    var values = payload.rows.map(function (r) { return r.value; }).filter(function (v) { return v !== null; });
    var low = Math.min.apply(null, values);
    var high = Math.max.apply(null, values);
    return geo.features.map(function (feature) {
      var code = feature.properties.code;
      var row = rows[code] || {};
      var name = row.name || feature.properties.name;
      var fill = NO_DATA;
      var words = payload.labels.no_data;
      if (payload.mode === "status" && row.status) {
        fill = statusColour(row.status) || NO_DATA;
        words = row.status_words;
      } else if (payload.mode === "value" && row.value !== null && row.value !== undefined) {
        fill = shade(high > low ? (row.value - low) / (high - low) : 1);
        words = row.label || String(row.value);
      }
      return {
        name: code, value: row.value === undefined ? null : row.value, unitName: name, words: words,
        detail: payload.mode === "status" ? row.label : row.status_words,
        itemStyle: { areaColor: fill },
        label: { color: labelColour(fill) },
        emphasis: { itemStyle: { areaColor: fill }, label: { color: labelColour(fill) } }
      };
    });
  }

  // Units too small to carry their words at the map's scale (the city centre's districts): under
  // SMALL of the map's area, labelled in an enlarged inset beside the map instead.
  var SMALL = 0.04;

  function area(geometry) {
    var polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
    return polygons.reduce(function (sum, polygon) {
      var ring = polygon[0];
      var twice = 0;
      for (var i = 1; i < ring.length; i++) twice += ring[i - 1][0] * ring[i][1] - ring[i][0] * ring[i - 1][1];
      return sum + Math.abs(twice) / 2;
    }, 0);
  }

  function smallUnits(geo) {
    var total = geo.features.reduce(function (sum, f) { return sum + area(f.geometry); }, 0);
    var small = {};
    geo.features.forEach(function (f) { if (area(f.geometry) < SMALL * total) small[f.properties.code] = true; });
    return small;
  }

  function series(mapName, data, layoutSize) {
    return {
      type: "map", map: mapName, nameProperty: "code", aspectScale: 0.8, roam: false,
      layoutCenter: ["50%", "50%"], layoutSize: layoutSize, selectedMode: false,
      itemStyle: { borderColor: "#ffffff", borderWidth: 1.2 },
      emphasis: { itemStyle: { borderColor: INK, borderWidth: 2 } },
      label: {
        show: true, fontSize: 12, lineHeight: 15,
        formatter: function (p) {
          var d = p.data || {};
          return (d.unitName || "") + "\n" + (d.words || "");
        }
      },
      data: data
    };
  }

  function mount(el, option) {
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option);
    el.setAttribute("data-rendered", "true");
    charts[el.id] = chart;
    window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  }

  function draw(el, payload, map) {
    var tooltip = {
      trigger: "item",
      formatter: function (p) {
        var d = p.data || {};
        return "<b>" + text(d.unitName) + "</b><br>" + text(d.words) + (d.detail ? "<br>" + text(d.detail) : "");
      }
    };
    var textStyle = { fontFamily: getComputedStyle(document.body).fontFamily, color: INK };
    var small = smallUnits(map.geo);
    var all = items(payload, map.geo);
    var inset = document.getElementById(el.id + "-centre");
    if (inset && Object.keys(small).length) inset.hidden = false;  // before the map takes its width
    mount(el, {
      textStyle: textStyle, tooltip: tooltip,
      series: [series(map.name, all.map(function (item) {
        return small[item.name] ? Object.assign({}, item, { label: { show: false } }) : item;
      }), "96%")]
    });
    if (!inset || inset.hidden) return;
    var centreName = map.name + ":centre";
    if (!window.echarts.getMap(centreName)) {
      window.echarts.registerMap(centreName, {
        type: "FeatureCollection",
        features: map.geo.features.filter(function (f) { return small[f.properties.code]; })
      });
    }
    mount(inset, {
      textStyle: textStyle, tooltip: tooltip,
      title: { text: payload.labels.centre, left: 4, top: 2, textStyle: { fontSize: 13, fontWeight: 600, color: INK } },
      series: [series(centreName, all.filter(function (item) { return small[item.name]; }), "86%")]
    });
  }

  document.querySelectorAll("[data-place-map]").forEach(function (el) {
    var source = document.getElementById(el.getAttribute("data-place-map"));
    if (!source || !window.echarts) return;
    var payload = JSON.parse(source.textContent);
    loadMap(payload.geojson).then(function (map) {
      if (el.offsetWidth) {
        draw(el, payload, map);
      } else {
        // Hidden (the phone layout shows only the table): draw once it is shown.
        var onResize = function () {
          if (!el.offsetWidth) return;
          window.removeEventListener("resize", onResize);
          draw(el, payload, map);
        };
        window.addEventListener("resize", onResize);
      }
    }).catch(function () {
      el.closest(".place-map").hidden = true;
      el.setAttribute("data-rendered", "failed");
    });
  });
})();
