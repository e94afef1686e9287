// Starts the GOV.UK Frontend components (error summary focus, character
// counts, details, notification banners) on every page.
import { initAll } from "./govuk-frontend.min.js";

initAll();
