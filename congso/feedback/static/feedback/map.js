// The report's place on a Leaflet map, only when a tile server is configured (CONGSO_FEEDBACK_TILE_URL).
(function () {
  "use strict";
  var el = document.getElementById("fb-map");
  if (!el || !window.L || !el.dataset.tiles) { return; }
  var lat = parseFloat(el.dataset.lat), lon = parseFloat(el.dataset.lon);
  if (isNaN(lat) || isNaN(lon)) { return; }
  var map = window.L.map(el).setView([lat, lon], 16);
  window.L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution || "" }).addTo(map);
  window.L.marker([lat, lon]).addTo(map);
}());
