// Every map of the platform: the organisation's own base map (a PMTiles archive it serves
// itself), neighbourhood boundaries with their names, a metric scale, translated controls and
// the first view on the organisation's region. What a map shows on top (hotspot cells, pins,
// the fear gap, a site's area) is a layer kind registered below or by a page's own script;
// the page passes data only, in json_script blocks, and its legend and title are HTML.
(() => {
  const kinds = {};
  const readJson = (id) => {
    const node = id && document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  };
  const colourOf = (frame, key, fallback) => {
    const item = (frame.legend || []).find((entry) => String(entry.key) === String(key));
    return item ? item.colour : fallback;
  };
  // A tooltip from text only: names and comments are data, never HTML.
  const textNode = (text) => {
    const span = document.createElement("span");
    span.textContent = text;
    return span;
  };

  function baseLayer(map, frame) {
    const base = frame.base;
    if (base && typeof protomapsL !== "undefined") {
      protomapsL.leafletLayer({
        url: base.url,
        flavor: "light",
        lang: document.documentElement.lang || "en",
        attribution: base.attribution || "",
        maxDataZoom: base.max_zoom,
      }).addTo(map);
      return "pmtiles";
    }
    if (frame.tiles) {
      L.tileLayer(frame.tiles, { maxZoom: 19, attribution: frame.tiles_attribution || "" }).addTo(map);
      return "tiles";
    }
    return "";
  }

  function boundaries(map, frame) {
    const areas = frame.areas;
    if (!areas || !areas.features.length) return null;
    const line = colourOf(frame, "boundary", "#3b4650");
    return L.geoJSON(areas, {
      interactive: false,
      style: () => ({ color: line, weight: 2, opacity: 0.9, fill: false, dashArray: "6 4" }),
      onEachFeature: (feature, layer) => {
        layer.bindTooltip(textNode(feature.properties.name), {
          permanent: true, direction: "center", className: "area-label",
        });
      },
    }).addTo(map);
  }

  function translateControls(map, frame) {
    const text = frame.controls || {};
    map.addControl(L.control.zoom({ zoomInTitle: text.zoom_in, zoomOutTitle: text.zoom_out }));
    L.control.scale({ metric: true, imperial: false, maxWidth: 160 }).addTo(map);
    const link = document.createElement("a");
    link.href = "https://leafletjs.com";
    link.title = text.leaflet || "";
    link.textContent = "Leaflet";
    map.attributionControl.setPrefix(link.outerHTML);
  }

  // The first view: the organisation's region (its neighbourhoods, else its base map), or
  // the data when it has neither; a layer kind may focus on its own subject inside it.
  function startView(map, frame, areas, data) {
    const options = { padding: [12, 12] };
    if (frame.focus && data && data.isValid()) {
      map.fitBounds(data, { ...options, maxZoom: 17 });
    } else if (areas) {
      map.fitBounds(areas.getBounds(), options);
    } else if (frame.region) {
      map.fitBounds(frame.region, options);
    } else if (data && data.isValid()) {
      map.fitBounds(data, { ...options, maxZoom: 17 });
    } else {
      map.setView([52.1, 5.3], 7);
    }
  }

  function create(element) {
    const frame = readJson(element.dataset.frame) || {};
    const data = readJson(element.dataset.layer);
    // Half-zoom steps let the region fill the frame instead of the next whole zoom out.
    const map = L.map(element, { zoomControl: false, attributionControl: true, zoomSnap: 0.5 });
    // A first view before any layer: Leaflet draws a path added before the map has a view
    // with a renderer that is not placed yet. The region is that view; startView refines it.
    if (frame.region) map.fitBounds(frame.region, { padding: [12, 12] });
    else map.setView([52.1, 5.3], 7);
    element.dataset.base = baseLayer(map, frame);
    translateControls(map, frame);
    const areas = boundaries(map, frame);
    const kind = kinds[element.dataset.map];
    const drawn = kind ? kind({ map, element, frame, data, colourOf: (k, f) => colourOf(frame, k, f), textNode }) : null;
    const bounds = drawn && drawn.bounds ? drawn.bounds : null;
    startView(map, frame, areas, bounds);
    if (drawn && drawn.after) drawn.after();
    element.dataset.areas = String(areas ? areas.getLayers().length : 0);
    element.dataset.ready = drawn && drawn.ready !== undefined ? String(drawn.ready) : "true";
    return map;
  }

  // Hotspot cells: Gi* and local Moran classes, or the kernel density as a ramp.
  kinds.hotspots = ({ map, frame, data, colourOf, textNode }) => {
    if (!data) return { ready: 0 };
    const options = frame.options || {};
    const ramp = frame.ramp || [];
    const rampColour = (value) => {
      let colour = ramp.length ? ramp[0].colour : "#fff";
      for (const stop of ramp) if (value >= stop.at) colour = stop.colour;
      return colour;
    };
    const fill = (p) => (options.method === "kde" ? rampColour(p.value) : colourOf(p.class, "#999"));
    if (options.backdrop && options.bounds) {
      L.imageOverlay(options.backdrop, options.bounds, {
        className: "backdrop", opacity: frame.base || frame.tiles ? 0.3 : 1,
      }).addTo(map);
    }
    const layer = L.geoJSON(data, {
      style: (f) => ({ weight: 0, fillOpacity: 0.75, fillColor: fill(f.properties) }),
      onEachFeature: (f, l) => {
        const p = f.properties;
        const item = (frame.legend || []).find((entry) => String(entry.key) === String(p.class));
        l.bindTooltip(textNode(`${item ? item.label : ""} · ${frame.count_label || ""}${p.count}`));
      },
    }).addTo(map);
    const bounds = options.bounds ? L.latLngBounds(options.bounds) : layer.getBounds();
    return { bounds, ready: data.features.length };
  };

  // Audit-walk pins coloured by the feeling of safety; a thick outline for a night walk.
  kinds.pins = ({ map, data, colourOf, textNode }) => {
    if (!data) return { ready: 0 };
    const layer = L.geoJSON(data, {
      pointToLayer: (f, latlng) => L.circleMarker(latlng, {
        radius: 8,
        weight: f.properties.time === "night" ? 3 : 1,
        color: "#222",
        fillOpacity: 0.9,
        fillColor: colourOf(f.properties.feeling, "#999"),
      }),
      onEachFeature: (f, l) => l.bindTooltip(textNode(
        `${f.properties.time_label || f.properties.time} · ${f.properties.feeling}/3` +
        (f.properties.comment ? ` · ${f.properties.comment}` : ""))),
    }).addTo(map);
    return { bounds: layer.getBounds(), ready: data.features.length };
  };

  // The fear gap: neighbourhoods coloured by their tested fear class (clearly more, no clear
  // difference, clearly less), a ring sized by recorded crime per 1,000 inhabitants.
  kinds.fear = ({ map, frame, data, colourOf, textNode }) => {
    if (!data) return { ready: 0 };
    const colour = (fearClass) => colourOf(`fear-${fearClass}`, "#9aa3ab");
    const rates = data.features.map((f) => f.properties.rate || 0);
    const maxRate = Math.max(1, ...rates);
    const radius = (f) => 8 + 30 * Math.sqrt((f.properties.rate || 0) / maxRate);
    const rings = L.layerGroup().addTo(map);
    const layer = L.geoJSON(data, {
      style: (f) => ({ weight: 1, color: "#333", fillOpacity: 0.7, fillColor: colour(f.properties.fear_class) }),
      pointToLayer: (f, latlng) => L.circleMarker(latlng, {
        radius: radius(f), weight: 1, color: "#333", fillOpacity: 0.85, fillColor: colour(f.properties.fear_class),
      }),
      onEachFeature: (f, l) => {
        const p = f.properties;
        l.bindTooltip(textNode(`${p.name}: ${p.fear_text} · ${p.rate_text} · ${p.reading}`));
        if (f.geometry.type !== "Point" && p.rate !== null) {
          L.circleMarker(l.getBounds().getCenter(), {
            radius: radius(f), weight: 2, color: "#222", fill: false, interactive: false,
          }).addTo(rings);
        }
      },
    }).addTo(map);
    return { bounds: layer.getBounds(), ready: data.features.length };
  };

  // The neighbourhoods page: the boundaries are the subject; nothing on top.
  kinds.areas = ({ frame }) => ({ ready: frame.areas ? frame.areas.features.length : 0 });

  // The legend is HTML text; its swatches take the very colours the map uses.
  function paintSwatches() {
    for (const swatch of document.querySelectorAll(".map-legend .swatch[data-colour]")) {
      const colour = swatch.dataset.colour;
      if (swatch.classList.contains("swatch-line") || swatch.classList.contains("swatch-ring")) {
        swatch.style.borderColor = colour;
      } else {
        swatch.style.backgroundColor = colour;
      }
    }
  }

  window.Secu4AllMap = { kinds, create, readJson };
  document.addEventListener("DOMContentLoaded", () => {
    paintSwatches();
    if (typeof L === "undefined") return;
    for (const element of document.querySelectorAll("[data-map]")) create(element);
  });
})();
