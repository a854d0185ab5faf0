/* Point maps over Iran's outline (Natural Earth, public domain, served by khoosheh itself):
   they work offline; no tile server is needed. */
(function () {
  var OUTLINE_STYLE = {color: "#7a8a99", weight: 1, fillColor: "#fff", fillOpacity: 1};
  var IRAN_CENTRE = [32.4, 53.7];
  var STAR_COLOURS = ["#8a99a8", "#d9a400", "#e07b00", "#b3261e"];

  /* A name as a tooltip's content: a text node, never markup.  Leaflet treats a string as HTML,
     and names come from the provinces' files (a name like <img onerror=...> must show as itself). */
  function text(value) {
    var span = document.createElement("span");
    span.textContent = value == null ? "" : String(value);
    return span;
  }

  /* fitOutline: frame the whole country once its outline has loaded (the national view). */
  function outlineMap(el, fitOutline) {
    var tiles = document.body.dataset.mapTiles;  /* optional: KHOOSHEH_MAP_TILES, only when online */
    var map = L.map(el, {attributionControl: !!tiles, zoomSnap: 0.25, zoomControl: false});
    var persian = document.documentElement.lang === "fa";  /* Leaflet's own buttons say "Zoom in" */
    L.control.zoom({zoomInTitle: persian ? "بزرگ‌نمایی" : "Zoom in",
                    zoomOutTitle: persian ? "کوچک‌نمایی" : "Zoom out"}).addTo(map);
    if (tiles) {
      L.tileLayer(tiles, {attribution: document.body.dataset.mapAttribution || "", maxZoom: 18}).addTo(map);
    }
    /* A view from the start, whatever the caller frames later: Leaflet adds layers to a map without one
       only once it gets one, and a circle not yet on the map cannot tell its bounds (fit would throw). */
    map.setView(IRAN_CENTRE, 5);
    fetch(el.dataset.outline).then(function (r) { return r.json(); }).then(function (g) {
      var style = tiles ? {color: OUTLINE_STYLE.color, weight: 1.5, fill: false} : OUTLINE_STYLE;
      var outline = L.geoJSON(g, {style: style, interactive: false}).addTo(map).bringToBack();
      if (fitOutline) { map.fitBounds(outline.getBounds(), {padding: [8, 8]}); }
      el.dataset.outlineDrawn = "1";
    });
    return map;
  }

  /* Each cluster as the circle holding 90% of its members (extent_km) around its centre. */
  function clusterLayer(clusters) {
    return L.featureGroup(clusters.map(function (c) {
      var colour = STAR_COLOURS[c.stars] || STAR_COLOURS[0];
      var circle = L.circle([c.lat, c.lon], {radius: Math.max(c.extent_km, 0.5) * 1000, color: colour, weight: 1.5,
                                             fillColor: colour, fillOpacity: 0.25, className: "cluster-extent"});
      circle.bindTooltip(text(c.label), {direction: "top", sticky: true});
      if (c.url) { circle.on("click", function () { window.location.href = c.url; }); }
      return circle;
    }));
  }

  /* Small clusters vanish at country scale: also mark each centre with a dot of fixed size. */
  function clusterCentres(clusters) {
    return L.featureGroup(clusters.map(function (c) {
      var colour = STAR_COLOURS[c.stars] || STAR_COLOURS[0];
      var dot = L.circleMarker([c.lat, c.lon], {radius: 3, weight: 1, color: colour, fillOpacity: 0.9});
      dot.bindTooltip(text(c.label), {direction: "top"});
      if (c.url) { dot.on("click", function () { window.location.href = c.url; }); }
      return dot;
    }));
  }

  /* Bounds of markers and circles from their own coordinates and radius, so they need no map. */
  function boundsOf(layer) {
    var bounds = L.latLngBounds([]);
    layer.eachLayer(function (item) {
      var centre = item.getLatLng && item.getLatLng();
      if (!centre) { return; }
      var metres = item instanceof L.Circle ? item.getRadius() * 2 : 1;
      bounds.extend(centre.toBounds(metres));
    });
    return bounds;
  }

  function fit(map, layer, fallback) {
    var bounds = boundsOf(layer);
    map.invalidateSize();  /* the container may have been laid out after the map was made */
    if (bounds.isValid()) { map.fitBounds(bounds.pad(0.2), {maxZoom: 11}); }
    else { map.setView(fallback || IRAN_CENTRE, 5); }
  }

  window.khoosheh = {text: text, outlineMap: outlineMap, clusterLayer: clusterLayer, clusterCentres: clusterCentres, fit: fit};
})();
