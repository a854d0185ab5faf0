/* A cluster's (or candidate's) members on the outline map: the data come from json_script blocks
   (#map-points, #map-extent) so the page needs no inline script. */
document.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("members-map");
  if (!el) { return; }
  var points = JSON.parse(document.getElementById("map-points").textContent);
  var extent = JSON.parse(document.getElementById("map-extent").textContent);
  var map = khoosheh.outlineMap(el);
  var circle = khoosheh.clusterLayer([extent]).addTo(map);
  var layer = L.featureGroup(points.map(function (p) {
    var dot = L.circleMarker([p.lat, p.lon], {radius: 4, weight: 1, color: p.by_county ? "#a15c00" : "#0f6b5c",
                                              fillOpacity: 0.7});
    dot.bindTooltip(document.createTextNode(p.name));  /* a text node: a name is never read as HTML */
    return dot;
  })).addTo(map);
  khoosheh.fit(map, points.length ? layer : circle);
  el.dataset.drawn = "1";
});
