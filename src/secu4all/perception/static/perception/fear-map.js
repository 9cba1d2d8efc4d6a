// The fear gap: neighbourhoods coloured by whether their share feeling unsafe is clearly
// above or below all neighbourhoods together, with a circle sized by
// recorded crime per 1,000 inhabitants (at the centre of the boundary, or at the incidents'
// mean position when there is none). No tile server unless one is configured; the table
// holds the same figures.
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
  // Colour by the tested class, not the raw share: darker only where fear is clearly higher.
  const CLASS_COLOURS = { higher: "#8c1c13", unclear: "#f4c7bc", lower: "#ffffff" };
  const colour = (fearClass) => CLASS_COLOURS[fearClass] || "#9aa3ab";
  const radius = (f) => 8 + 30 * Math.sqrt((f.properties.rate || 0) / maxRate);
  const tooltip = (f) => {
    const p = f.properties;
    const tip = document.createElement("span");
    tip.textContent = p.label;
    return tip;
  };
  const rings = L.layerGroup().addTo(map);
  const layer = L.geoJSON(data, {
    style: (f) => ({ weight: 1, color: "#333", fillOpacity: 0.75, fillColor: colour(f.properties.fear_class) }),
    pointToLayer: (f, latlng) => L.circleMarker(latlng, {
      radius: radius(f),
      weight: 1,
      color: "#333",
      fillOpacity: 0.85,
      fillColor: colour(f.properties.fear_class),
    }),
    onEachFeature: (f, l) => {
      l.bindTooltip(tooltip(f));
      if (f.geometry.type !== "Point" && f.properties.rate !== null) {
        L.circleMarker(l.getBounds().getCenter(), {
          radius: radius(f), weight: 2, color: "#222", fill: false, interactive: false,
        }).addTo(rings);
      }
    },
  }).addTo(map);
  map.fitBounds(layer.getBounds(), { padding: [40, 40] });
  element.dataset.ready = String(data.features.length);
});
