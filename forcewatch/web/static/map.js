// The map: incidents as points on a plain background (no tile server), with a graticule.
// Popups are built with DOM nodes and textContent, so no text from a report is read as HTML.
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.L) { return; }
  var map = L.map(el, { worldCopyJump: true, minZoom: 1, maxZoom: 12, zoomSnap: 0.5 }).setView([30, -20], 2);
  map.attributionControl.setPrefix(false);

  // Graticule every 30 degrees, for orientation without any basemap.
  var lines = [];
  for (var lat = -60; lat <= 60; lat += 30) { lines.push([[lat, -180], [lat, 180]]); }
  for (var lon = -180; lon <= 180; lon += 30) { lines.push([[-85, lon], [85, lon]]); }
  L.polyline(lines, { color: "#c8ccd2", weight: 1, interactive: false }).addTo(map);

  var colours = { exact: "#b3261e", address: "#b3261e", street: "#d2691e", neighbourhood: "#d2691e",
                  locality: "#1f5fa8", region: "#6b4fa0", country: "#666666", unknown: "#666666" };

  function row(parent, label, value) {
    if (value === null || value === undefined || value === "") { return; }
    var p = document.createElement("div");
    var b = document.createElement("b");
    b.textContent = label + ": ";
    p.appendChild(b);
    p.appendChild(document.createTextNode(String(value)));
    parent.appendChild(p);
  }

  function popup(props) {
    var box = document.createElement("div");
    var a = document.createElement("a");
    a.href = "/incidents/" + encodeURIComponent(props.id);
    a.textContent = "Incident " + props.id;
    box.appendChild(a);
    row(box, "Date", props.date);
    row(box, "Place", props.place);
    row(box, "Category", props.category);
    row(box, "Subject", props.subject);
    row(box, "Location precision", props.location_precision);
    return box;
  }

  fetch(el.getAttribute("data-points"), { headers: { Accept: "application/json" }, credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var layer = L.geoJSON(data, {
        pointToLayer: function (feature, latlng) {
          var precision = feature.properties.location_precision || "unknown";
          return L.circleMarker(latlng, { radius: 6, weight: 1, color: "#ffffff", fillColor: colours[precision] || "#666666", fillOpacity: 0.85 });
        },
        onEachFeature: function (feature, marker) { marker.bindPopup(popup(feature.properties)); }
      }).addTo(map);
      var count = document.getElementById("map-count");
      if (count) { count.textContent = data.features.length + " incidents with a location."; }
      if (data.features.length) { map.fitBounds(layer.getBounds().pad(0.3), { maxZoom: 8, animate: false }); }
    })
    .catch(function (err) { el.textContent = "Could not load the points: " + err; });
}());
