/* Point maps over Iran's outline (OpenStreetMap's, simplified), the province and county boundaries once
   loaded, and the county seats' names, all served by khoosheh itself: they work offline; no tile server
   is needed. */
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

  /* Town labels by tier (1: a province's largest town, 2: 100,000 people or more, 3: any county seat),
     each shown from this zoom on, so the country view is not a wall of names. */
  var TOWN_ZOOM = {1: 0, 2: 6.5, 3: 8};
  var COUNTY_ZOOM = 7;  /* county boundaries are fetched and drawn from here on */
  var PROVINCE_STYLE = {color: "#8b98a5", weight: 1.2, fill: false, dashArray: "5 3"};
  var COUNTY_STYLE = {color: "#b3bec8", weight: 0.8, fill: false};

  function getJSON(url) {
    return fetch(url).then(function (r) { if (!r.ok) { throw new Error(url + ": " + r.status); } return r.json(); });
  }

  /* Panes below the points (outline, boundaries) and above them without catching clicks (town names). */
  function addPanes(map) {
    map.createPane("land").style.zIndex = 250;
    map.createPane("borders").style.zIndex = 260;
    var towns = map.createPane("towns");
    towns.style.zIndex = 450;
    towns.style.pointerEvents = "none";
  }

  function townMarker(town, persian) {
    var label = document.createElement("span");
    label.className = "town-name tier-" + town.tier;
    label.textContent = persian ? town.name_fa : town.name_en;  /* text, never markup */
    return L.marker([town.lat, town.lon], {pane: "towns", interactive: false, keyboard: false,
      icon: L.divIcon({className: "town", html: label, iconSize: null})});
  }

  /* A name that would overlap one already shown is hidden: the towns come largest first (Tehran before
     Karaj), so the bigger town keeps its name. */
  function declutter(el) {
    var kept = [];
    el.querySelectorAll(".town-name").forEach(function (label) {
      label.classList.remove("crowded");
      var box = label.getBoundingClientRect();
      var overlaps = kept.some(function (k) {
        return box.left < k.right && k.left < box.right && box.top < k.bottom && k.top < box.bottom;
      });
      if (overlaps) { label.classList.add("crowded"); } else { kept.push(box); }
    });
  }

  function addTowns(map, el, persian) {
    getJSON(document.body.dataset.mapTowns).then(function (towns) {
      var tiers = {1: L.layerGroup(), 2: L.layerGroup(), 3: L.layerGroup()};
      towns.forEach(function (t) { townMarker(t, persian).addTo(tiers[t.tier]); });
      function show() {
        Object.keys(tiers).forEach(function (tier) {
          var wanted = map.getZoom() >= TOWN_ZOOM[tier];
          if (wanted && !map.hasLayer(tiers[tier])) { tiers[tier].addTo(map); }
          if (!wanted && map.hasLayer(tiers[tier])) { map.removeLayer(tiers[tier]); }
        });
        declutter(el);
      }
      map.on("zoomend moveend", show);
      show();
      el.dataset.townsDrawn = "1";
    });
  }

  /* Boundaries officials loaded (khoosheh load-boundaries); none until then, and the map says nothing. */
  function addBoundaries(map, el) {
    var url = document.body.dataset.mapBoundaries;
    function draw(level, style) {
      return getJSON(url.replace("LEVEL", level)).then(function (g) {
        if (g.features.length) { L.geoJSON(g, {style: style, interactive: false, pane: "borders"}).addTo(map); }
        el.dataset[level + "Boundaries"] = String(g.features.length);
      });
    }
    draw("province", PROVINCE_STYLE);
    var counties = null;
    function maybeCounties() {
      if (!counties && map.getZoom() >= COUNTY_ZOOM) { counties = draw("county", COUNTY_STYLE); }
    }
    map.on("zoomend", maybeCounties);
    maybeCounties();
  }

  /* fitOutline: frame the whole country once its outline has loaded (the national view). */
  function outlineMap(el, fitOutline) {
    var tiles = document.body.dataset.mapTiles;  /* optional: KHOOSHEH_MAP_TILES, only when online */
    var map = L.map(el, {zoomSnap: 0.25, zoomControl: false});
    el._khooshehMap = map;  /* for the browser tests and the console: Leaflet keeps no link from the element */
    var persian = document.documentElement.lang === "fa";  /* Leaflet's own buttons say "Zoom in" */
    L.control.zoom({zoomInTitle: persian ? "بزرگ‌نمایی" : "Zoom in",
                    zoomOutTitle: persian ? "کوچک‌نمایی" : "Zoom out"}).addTo(map);
    /* The outline is OpenStreetMap's (ODbL): it asks for its credit on the map. */
    map.attributionControl.setPrefix(false).addAttribution('<bdi dir="ltr">© OpenStreetMap</bdi>');
    addPanes(map);
    if (tiles) {
      L.tileLayer(tiles, {attribution: document.body.dataset.mapAttribution || "", maxZoom: 18}).addTo(map);
    }
    /* A view from the start, whatever the caller frames later: Leaflet adds layers to a map without one
       only once it gets one, and a circle not yet on the map cannot tell its bounds (fit would throw). */
    map.setView(IRAN_CENTRE, 5);
    getJSON(el.dataset.outline).then(function (g) {
      var style = tiles ? {color: OUTLINE_STYLE.color, weight: 1.5, fill: false} : OUTLINE_STYLE;
      var outline = L.geoJSON(g, {style: style, interactive: false, pane: "land"}).addTo(map);
      /* Without animation: the town names are measured for overlaps once the zoom has settled. */
      if (fitOutline) { map.fitBounds(outline.getBounds(), {padding: [8, 8], animate: false}); }
      el.dataset.outlineDrawn = "1";
    });
    if (!tiles) {  /* a tile layer has its own borders and names */
      addBoundaries(map, el);
      addTowns(map, el, persian);
    }
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
