// The fear gap as circles: size by recorded crime per 1,000 inhabitants, colour by the share
// feeling unsafe. No tile server unless one is configured; the table holds the same figures.
document.addEventListener("DOMContentLoaded", () => {
  const element = document.getElementById("fear-map");
  const source = document.getElementById("fear-data");
  if (!element || !source || typeof L === "undefined") return;
  const data = JSON.parse(source.textContent);
  const map = L.map(element, { attributionControl: Boolean(element.dataset.tiles) });
  if (element.dataset.tiles) {
    L.tileLayer(element.dataset.tiles, { maxZoom: 19 }).addTo(map);
  }
  const rates = data.features.map((f) => f.properties.rate || 0);
  const maxRate = Math.max(1, ...rates);
  const colour = (fear) => {
    if (fear === null) return "#9aa3ab";
    const t = Math.min(1, fear / 60);
    return `rgb(${Math.round(254 - 76 * t)}, ${Math.round(224 - 200 * t)}, ${Math.round(210 - 180 * t)})`;
  };
  const layer = L.geoJSON(data, {
    pointToLayer: (f, latlng) => L.circleMarker(latlng, {
      radius: 8 + 30 * Math.sqrt((f.properties.rate || 0) / maxRate),
      weight: 1,
      color: "#333",
      fillOpacity: 0.85,
      fillColor: colour(f.properties.fear),
    }),
    onEachFeature: (f, l) => {
      const p = f.properties;
      const tip = document.createElement("span");
      tip.textContent = `${p.name}: ${p.fear === null ? "—" : p.fear + " %"} · ` +
        `${p.rate === null ? "—" : p.rate} / 1,000 · ${p.reading}`;
      l.bindTooltip(tip);
    },
  }).addTo(map);
  map.fitBounds(layer.getBounds(), { padding: [40, 40] });
  element.dataset.ready = String(data.features.length);
});
