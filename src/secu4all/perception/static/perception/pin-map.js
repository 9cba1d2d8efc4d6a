// Audit-walk pins on a Leaflet map, coloured by the feeling-of-safety rating; no tile server
// unless one is configured. The table beside it carries the same data for non-visual use.
document.addEventListener("DOMContentLoaded", () => {
  const element = document.getElementById("pin-map");
  const source = document.getElementById("pin-data");
  if (!element || !source || typeof L === "undefined") return;
  const data = JSON.parse(source.textContent);
  const map = L.map(element, { attributionControl: Boolean(element.dataset.tiles) });
  if (element.dataset.tiles) {
    L.tileLayer(element.dataset.tiles, { maxZoom: 19 }).addTo(map);
  }
  const colours = ["#b2182b", "#ef8a62", "#67a9cf", "#2166ac"];
  const layer = L.geoJSON(data, {
    pointToLayer: (f, latlng) => L.circleMarker(latlng, {
      radius: 8,
      weight: f.properties.time === "night" ? 3 : 1,
      color: "#222",
      fillOpacity: 0.9,
      fillColor: colours[f.properties.feeling] || "#999",
    }),
    onEachFeature: (f, l) => {
      // A comment is the walker's text: set as text, never as HTML.
      const tip = document.createElement("span");
      tip.textContent = `${f.properties.time} · ${f.properties.feeling}/3` +
        (f.properties.comment ? ` · ${f.properties.comment}` : "");
      l.bindTooltip(tip);
    },
  }).addTo(map);
  map.fitBounds(layer.getBounds(), { maxZoom: 17, padding: [20, 20] });
  element.dataset.ready = String(data.features.length);
});
