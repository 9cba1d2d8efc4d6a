// A site's map: its area (drawn or stored) and, on the edit page, corners added by clicking.
// The corner list in the form stays the source of truth, so typing and clicking agree.
document.addEventListener("DOMContentLoaded", () => {
  const element = document.getElementById("site-map");
  if (!element || typeof L === "undefined") return;
  const map = L.map(element, { attributionControl: Boolean(element.dataset.tiles) });
  if (element.dataset.tiles) L.tileLayer(element.dataset.tiles, { maxZoom: 19 }).addTo(map);

  const readJson = (id) => {
    const node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  };
  const context = readJson("context-points") || [];
  context.forEach(([lat, lon]) =>
    L.circleMarker([lat, lon], { radius: 2, weight: 0, fillColor: "#6b7785", fillOpacity: 0.6 }).addTo(map));

  const lat = parseFloat(element.dataset.lat);
  const lon = parseFloat(element.dataset.lon);
  const hasPoint = Number.isFinite(lat) && Number.isFinite(lon);
  const area = L.polygon([], { color: "#b2182b", weight: 2, fillOpacity: 0.15 }).addTo(map);
  const corners = L.layerGroup().addTo(map);

  const fit = () => {
    if (area.getLatLngs()[0].length >= 2) map.fitBounds(area.getBounds().pad(0.3));
    else if (hasPoint) map.setView([lat, lon], 17);
    else if (context.length) map.fitBounds(context);
    else map.setView([0, 0], 2);
  };

  const stored = readJson("site-area");
  if (stored && stored.type === "Polygon") {
    area.setLatLngs(stored.coordinates[0].slice(0, -1).map(([x, y]) => [y, x]));
  }
  const input = element.dataset.draw ? document.getElementById(element.dataset.draw) : null;
  if (!input) {
    if (hasPoint && !stored) L.circleMarker([lat, lon], { radius: 6, color: "#b2182b" }).addTo(map);
    fit();
    return;
  }

  const count = document.getElementById("corner-count");
  const parse = () => input.value.split("\n")
    .map((line) => line.split(/[,;\t]/).map((p) => parseFloat(p)))
    .filter((p) => p.length === 2 && p.every(Number.isFinite));
  const draw = () => {
    const points = parse();
    area.setLatLngs(points);
    corners.clearLayers();
    points.forEach((p) => L.circleMarker(p, { radius: 4, color: "#b2182b" }).addTo(corners));
    if (count) count.textContent = `${points.length}`;
  };
  const write = (points) => {
    input.value = points.map(([a, b]) => `${a.toFixed(6)}, ${b.toFixed(6)}`).join("\n");
    draw();
  };
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
  if (hasPoint && !parse().length) L.circleMarker([lat, lon], { radius: 6, color: "#2166ac" }).addTo(map);
  fit();
  element.dataset.ready = "true";
});
