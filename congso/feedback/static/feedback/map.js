// Leaflet maps, only when a tile server is configured (CONGSO_FEEDBACK_TILE_URL); without one, or
// without JavaScript, the pages show the place by commune and address and nothing breaks.
// - #fb-map: one report's place (its page);
// - #fb-board-map: the public board's reports with a point (JSON in #fb-points), each linking to its page.
(function () {
  "use strict";
  if (!window.L) { return; }
  function tiles(el, map) {
    window.L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution || "" }).addTo(map);
  }
  var one = document.getElementById("fb-map");
  if (one && one.dataset.tiles) {
    var lat = parseFloat(one.dataset.lat), lon = parseFloat(one.dataset.lon);
    if (!isNaN(lat) && !isNaN(lon)) {
      var map = window.L.map(one).setView([lat, lon], 16);
      tiles(one, map);
      window.L.marker([lat, lon]).addTo(map);
    }
  }
  var board = document.getElementById("fb-board-map");
  var data = document.getElementById("fb-points");
  if (board && board.dataset.tiles && data) {
    var points = JSON.parse(data.textContent || "[]");
    var all = window.L.map(board);
    tiles(board, all);
    var bounds = [];
    points.forEach(function (p) {
      // the popup is built from DOM nodes, never from HTML strings: titles are citizens' text
      var link = document.createElement("a");
      link.href = p.url;
      link.textContent = p.title;
      var box = document.createElement("div");
      box.appendChild(link);
      var status = document.createElement("p");
      status.textContent = p.status_label;
      box.appendChild(status);
      window.L.marker([p.lat, p.lon], { title: p.title, alt: p.title }).bindPopup(box).addTo(all);
      bounds.push([p.lat, p.lon]);
    });
    if (bounds.length) { all.fitBounds(bounds, { maxZoom: 16, padding: [20, 20] }); }
    else {
      // nothing to place: the area of the configured bounds (south, north, west, east)
      var b = (board.dataset.bounds || "8,23.5,102.1,117.9").split(",").map(parseFloat);
      all.fitBounds([[b[0], b[2]], [b[1], b[3]]]);
    }
  }
}());
