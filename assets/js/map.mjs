// Draws the map of camera sites (templates/cameras/map.html). The page holds
// the sites as JSON in <script type="application/json" id="map-data">, since
// the content security policy allows no inline script. Leaflet is loaded
// before this module as a classic script (window.L). The same sites are in
// the table below the map, so the page still works without this script or
// without the map tiles.

const MARKER_STYLE = {
  radius: 9,
  color: "#0b0c0c",
  weight: 2,
  fillColor: "#00703c",
  fillOpacity: 0.9,
};

// The attribution is plain text from configuration; Leaflet would insert it
// as HTML, so escape it first.
function escapeText(text) {
  const holder = document.createElement("span");
  holder.textContent = text;
  return holder.innerHTML;
}

// A popup built from text nodes, never from HTML: street and camera names
// are typed in by people.
function popupContent(site) {
  const content = document.createElement("div");
  const street = document.createElement("strong");
  street.textContent = site.street;
  const camera = document.createElement("span");
  camera.textContent = site.camera;
  content.append(street, document.createElement("br"), camera);
  return content;
}

function drawMap(container, data, L) {
  // The message for those without JavaScript goes once the map is drawn.
  container.replaceChildren();
  const still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  const map = L.map(container, {
    // The wheel scrolls the page, not the map: the page must not trap it.
    scrollWheelZoom: false,
    // No fades or zoom animation for those who ask for less motion (WCAG 2.3.3).
    fadeAnimation: !still,
    zoomAnimation: !still,
    markerZoomAnimation: !still,
  });
  map.attributionControl.setPrefix(false);
  L.tileLayer(data.tiles.url, {
    attribution: escapeText(data.tiles.attribution),
    maxZoom: 19,
  }).addTo(map);
  const points = data.sites.map((site) => [site.lat, site.lng]);
  data.sites.forEach((site, index) => {
    L.circleMarker(points[index], MARKER_STYLE)
      // Room on the left so an open popup clears the zoom buttons.
      .bindPopup(popupContent(site), { autoPanPaddingTopLeft: [50, 10] })
      .addTo(map);
  });
  map.fitBounds(points, { padding: [30, 30], maxZoom: 16 });
  return map;
}

const container = document.getElementById("site-map");
const dataElement = document.getElementById("map-data");
if (container && dataElement && window.L) {
  const data = JSON.parse(dataElement.textContent);
  if (data.sites.length > 0) {
    drawMap(container, data, window.L);
  }
}
