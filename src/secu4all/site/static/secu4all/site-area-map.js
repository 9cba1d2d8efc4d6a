// A site's map, as a layer kind of the shared map (map.js): its area (drawn or stored) and,
// on the edit page, corners added by clicking. The corner list in the form stays the source
// of truth, so typing and clicking agree. Without an area or a point the map starts at the
// organisation's region, never the world.
(() => {
  if (!window.Secu4AllMap) return;
  window.Secu4AllMap.kinds.site = ({ map, element, frame, colourOf }) => {
    const options = frame.options || {};
    const readJson = window.Secu4AllMap.readJson;
    const areaColour = colourOf("area", "#b2182b");
    const context = readJson("context-points") || [];
    const contextColour = colourOf("incidents", "#6b7785");
    context.forEach(([lat, lon]) =>
      L.circleMarker([lat, lon], { radius: 2, weight: 0, fillColor: contextColour, fillOpacity: 0.6 }).addTo(map));

    const lat = parseFloat(options.lat);
    const lon = parseFloat(options.lon);
    const hasPoint = Number.isFinite(lat) && Number.isFinite(lon);
    const stored = readJson("site-area");
    const storedCorners = stored && stored.type === "Polygon"
      ? stored.coordinates[0].slice(0, -1).map(([x, y]) => [y, x]) : [];
    const input = options.draw ? document.getElementById(options.draw) : null;
    const parse = () => (input ? input.value : "").split("\n")
      .map((line) => line.split(/[,;\t]/).map((p) => parseFloat(p)))
      .filter((p) => p.length === 2 && p.every(Number.isFinite));
    const points = input ? parse() : storedCorners;
    // The outline gets its corners at creation: Leaflet cannot redraw a path before the map
    // has its first view, which the shared map sets after this kind returns.
    const area = L.polygon(points, { color: areaColour, weight: 2, fillOpacity: 0.15 }).addTo(map);
    const corners = L.layerGroup().addTo(map);
    let bounds = null;
    if (points.length >= 2) bounds = L.latLngBounds(points).pad(0.3);
    else if (hasPoint) bounds = L.latLngBounds([[lat, lon], [lat, lon]]);
    const point = colourOf("point", "#2166ac");

    if (!input) {
      if (hasPoint && !storedCorners.length) L.circleMarker([lat, lon], { radius: 6, color: areaColour }).addTo(map);
      return { bounds, ready: "true" };
    }
    const count = document.getElementById("corner-count");
    const draw = () => {
      const current = parse();
      area.setLatLngs(current);
      corners.clearLayers();
      current.forEach((p) => L.circleMarker(p, { radius: 4, color: areaColour }).addTo(corners));
      if (count) count.textContent = `${current.length}`;
    };
    const write = (next) => {
      input.value = next.map(([a, b]) => `${a.toFixed(6)}, ${b.toFixed(6)}`).join("\n");
      draw();
    };
    return {
      bounds,
      ready: "true",
      after: () => {
        map.on("click", (event) => write([...parse(), [event.latlng.lat, event.latlng.lng]]));
        input.addEventListener("input", draw);
        const tools = document.querySelector(".map-tools");
        if (tools) {
          tools.hidden = false;
          tools.addEventListener("click", (event) => {
            const action = event.target.dataset.mapAction;
            if (action === "undo") write(parse().slice(0, -1));
            if (action === "clear") write([]);
          });
        }
        draw();
        if (hasPoint && !parse().length) L.circleMarker([lat, lon], { radius: 6, color: point }).addTo(map);
      },
    };
  };
})();
