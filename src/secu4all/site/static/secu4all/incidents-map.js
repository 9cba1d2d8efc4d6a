// Draws the hotspot cells the page embeds as JSON; no tile server unless one is configured.
document.addEventListener("DOMContentLoaded", () => {
  const element = document.getElementById("map");
  const source = document.getElementById("hotspot-data");
  if (!element || !source || typeof L === "undefined") return;
  const data = JSON.parse(source.textContent);
  const map = L.map(element, { attributionControl: Boolean(element.dataset.tiles) });
  if (element.dataset.tiles) {
    L.tileLayer(element.dataset.tiles, { maxZoom: 19 }).addTo(map);
  }
  const colours = {
    gistar: { 3: "#b2182b", 2: "#ef8a62", 1: "#fddbc7", "-1": "#d1e5f0", "-2": "#67a9cf", "-3": "#2166ac" },
    "local-moran": { 1: "#d7191c", 2: "#abd9e9", 3: "#2c7bb6", 4: "#fdae61" },
  };
  const method = element.dataset.method;
  const fill = (p) => method === "kde"
    ? `rgb(255, ${Math.round(255 * (1 - p.value))}, ${Math.round(255 * Math.max(0, 1 - 2 * p.value))})`
    : colours[method][p.class];
  const bounds = JSON.parse(element.dataset.bounds || "null");
  if (element.dataset.backdrop && bounds) {
    L.imageOverlay(element.dataset.backdrop, bounds, { className: "backdrop" }).addTo(map);
  }
  const layer = L.geoJSON(data, {
    style: (f) => ({ weight: 0, fillOpacity: 0.8, fillColor: fill(f.properties) }),
    onEachFeature: (f, l) => l.bindTooltip(
      `${f.properties.label || f.properties.value} · ${f.properties.count}`),
  }).addTo(map);
  if (bounds) map.fitBounds(bounds); else map.fitBounds(layer.getBounds());
  element.dataset.ready = String(data.features.length);
});
