// Builds the council-branded stylesheet and copies the GOV.UK Frontend script,
// Leaflet (for the map of camera sites) and our own modules into
// cctv_requests/static/. The GDS Transport font and the crown are reserved
// for GOV.UK, so the stylesheet uses a system font stack and no font files.
import { mkdirSync, copyFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "cctv_requests", "static");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
const leaflet = join(root, "node_modules", "leaflet", "dist");

mkdirSync(out, { recursive: true });
const result = sass.compile(join(root, "assets", "scss", "app.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(out, "app.css"), result.css);
copyFileSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
copyFileSync(join(root, "assets", "js", "app.mjs"), join(out, "app.mjs"));
// The map draws circle markers, so Leaflet's marker images are not needed.
copyFileSync(join(leaflet, "leaflet.js"), join(out, "leaflet.js"));
copyFileSync(join(leaflet, "leaflet.css"), join(out, "leaflet.css"));
copyFileSync(join(root, "assets", "js", "map.mjs"), join(out, "map.mjs"));
copyFileSync(join(root, "assets", "images", "favicon.svg"), join(out, "favicon.svg"));
console.log(`built ${join(out, "app.css")} (${result.css.length} bytes)`);
