#!/usr/bin/env bash
# Re-creates the files in this folder from the npm registry (run from anywhere; needs npm).
# The map's base layer and clustering are served from here, never from a CDN or tile server.
#   world-atlas       Natural Earth 1:50m country outlines as TopoJSON (data: public domain; package: ISC)
#   us-atlas          US Census state outlines (admin-1 for the US) as TopoJSON (ISC)
#   topojson-client   TopoJSON to GeoJSON in the browser (ISC)
#   leaflet.markercluster  point clustering for Leaflet (MIT)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent world-atlas@2.0.2 us-atlas@3.0.1 topojson-client@3.1.0 leaflet.markercluster@1.5.3 >/dev/null
for pkg in world-atlas-2.0.2 us-atlas-3.0.1 topojson-client-3.1.0 leaflet.markercluster-1.5.3; do
  mkdir "$pkg" && tar xzf "$pkg.tgz" -C "$pkg" --strip-components=1
done
cp world-atlas-2.0.2/countries-50m.json "$here/countries-50m.json"
cp world-atlas-2.0.2/LICENSE "$here/LICENSE.world-atlas"
cp us-atlas-3.0.1/states-10m.json "$here/us-states-10m.json"
cp us-atlas-3.0.1/LICENSE "$here/LICENSE.us-atlas"
cp topojson-client-3.1.0/dist/topojson-client.min.js "$here/topojson-client.min.js"
cp topojson-client-3.1.0/LICENSE "$here/LICENSE.topojson-client"
cp leaflet.markercluster-1.5.3/dist/leaflet.markercluster.js "$here/leaflet.markercluster.js"
cp leaflet.markercluster-1.5.3/dist/MarkerCluster.css "$here/MarkerCluster.css"
cp leaflet.markercluster-1.5.3/dist/MarkerCluster.Default.css "$here/MarkerCluster.Default.css"
cp leaflet.markercluster-1.5.3/MIT-LICENCE.txt "$here/LICENSE.leaflet.markercluster" 2>/dev/null \
  || cp leaflet.markercluster-1.5.3/LICENSE* "$here/LICENSE.leaflet.markercluster"
(cd "$here" && sha256sum countries-50m.json us-states-10m.json topojson-client.min.js leaflet.markercluster.js \
  MarkerCluster.css MarkerCluster.Default.css > SHA256SUMS)
