// The map: incidents over an offline base layer (Natural Earth country outlines from the world-atlas
// package and US state outlines from us-atlas, served from /static/vendor: no tile server, no CDN),
// coloured by category, clustered (Leaflet.markercluster), with a legend. A point's size says its
// location precision: a small dot is an address, a wide one only a town or region's centre.
// Popups and the legend are built with DOM nodes and textContent: no report text is read as HTML.
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.L) { return; }
  var map = L.map(el, { worldCopyJump: true, minZoom: 1, maxZoom: 12, zoomSnap: 0.5 }).setView([30, -20], 2);
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Outlines: Natural Earth, US Census (public domain)");
  map.createPane("outlines");
  map.getPane("outlines").style.zIndex = 250;

  var CATEGORY_COLOURS = {
    police_shooting: "#b3261e", custody: "#6b4fa0", road_traffic: "#d2691e",
    suicide_following_custody: "#1e7a3c", other_contact: "#1f5fa8", unknown: "#5f6670"
  };
  var CATEGORY_LABELS = {
    police_shooting: "Police shooting", custody: "Death or injury in custody", road_traffic: "Road traffic incident",
    suicide_following_custody: "Apparent suicide following custody", other_contact: "Other police contact", unknown: "Unknown"
  };
  var PRECISION_RADIUS = { address: 5, neighbourhood: 7, locality: 9, region: 12, unknown: 12 };

  function outlines(url, object, style) {
    return fetch(url, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (topology) {
        L.geoJSON(topojson.feature(topology, topology.objects[object]),
                  { pane: "outlines", interactive: false, style: style }).addTo(map);
      });
  }
  var base = el.getAttribute("data-base");
  outlines(base + "countries-50m.json", "countries", { color: "#9aa3ad", weight: 0.8, fillColor: "#ffffff", fillOpacity: 1 })
    .then(function () {
      return outlines(base + "us-states-10m.json", "states", { color: "#c3c9d0", weight: 0.6, fill: false });
    })
    .catch(function (err) { el.setAttribute("data-base-error", String(err)); });

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
    a.textContent = props.headline;
    a.className = "popup-headline";
    box.appendChild(a);
    row(box, "Category", props.category_label);
    row(box, "Outcome", props.outcome_label);
    row(box, "Place", props.place);
    row(box, "Location precision", props.precision_label);
    return box;
  }

  function legend(counts) {
    var control = L.control({ position: "bottomleft" });
    control.onAdd = function () {
      var box = L.DomUtil.create("div", "map-legend");
      var title = document.createElement("b");
      title.textContent = "Category";
      box.appendChild(title);
      Object.keys(CATEGORY_LABELS).forEach(function (key) {
        if (!counts[key]) { return; }
        var item = document.createElement("div");
        var swatch = document.createElement("span");
        swatch.className = "swatch";
        swatch.style.background = CATEGORY_COLOURS[key];
        item.appendChild(swatch);
        item.appendChild(document.createTextNode(CATEGORY_LABELS[key] + " (" + counts[key] + ")"));
        box.appendChild(item);
      });
      var note = document.createElement("div");
      note.className = "legend-note";
      note.textContent = "Wider dot = less precise place (town or region centre). Numbers are clusters.";
      box.appendChild(note);
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    control.addTo(map);
  }

  fetch(el.getAttribute("data-points"), { headers: { Accept: "application/json" }, credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var clusters = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40 });
      var counts = {};
      var layer = L.geoJSON(data, {
        pointToLayer: function (feature, latlng) {
          var p = feature.properties;
          var category = CATEGORY_COLOURS[p.category] ? p.category : "unknown";
          counts[category] = (counts[category] || 0) + 1;
          var marker = L.circleMarker(latlng, {
            radius: PRECISION_RADIUS[p.location_precision] || 12, weight: 1.5, color: "#ffffff",
            fillColor: CATEGORY_COLOURS[category], fillOpacity: 0.8
          });
          marker.bindTooltip(p.headline + " (" + p.precision_label + ")");
          return marker;
        },
        onEachFeature: function (feature, marker) { marker.bindPopup(popup(feature.properties)); }
      });
      clusters.addLayer(layer);
      map.addLayer(clusters);
      legend(counts);
      var count = document.getElementById("map-count");
      if (count) { count.textContent = data.features.length + " incidents with a location."; }
      if (data.features.length) { map.fitBounds(layer.getBounds().pad(0.3), { maxZoom: 8, animate: false }); }
    })
    .catch(function (err) { el.textContent = "Could not load the points: " + err; });
}());
