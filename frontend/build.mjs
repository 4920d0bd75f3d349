// Copies what the pages need from the npm packages into onesource/static/build.
// The precompiled GOV.UK and MOJ stylesheets refer to fonts and images under /assets/,
// so those are also copied into onesource/static/root/assets, served at the site root.
import { cpSync, existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const modules = join(root, "node_modules");
const out = join(root, "onesource", "static", "build");
const siteRoot = join(out, "root");
mkdirSync(out, { recursive: true });

const copies = [
  ["govuk-frontend/dist/govuk/govuk-frontend.min.css", "govuk/govuk-frontend.min.css"],
  ["govuk-frontend/dist/govuk/govuk-frontend.min.js", "govuk/govuk-frontend.min.js"],
  ["@ministryofjustice/frontend/moj/moj-frontend.min.css", "moj/moj-frontend.min.css"],
  ["@ministryofjustice/frontend/moj/moj-frontend.min.js", "moj/moj-frontend.min.js"],
  ["htmx.org/dist/htmx.min.js", "htmx/htmx.min.js"],
  ["axe-core/axe.min.js", "axe/axe.min.js"],
  ["govuk-frontend/dist/govuk/assets", "root/assets"],
  ["@ministryofjustice/frontend/moj/assets", "root/assets"],
];
for (const [from, to] of copies) {
  cpSync(join(modules, from), join(out, to), { recursive: true });
  // The minified files end with a sourceMappingURL comment; the manifest static storage (collectstatic)
  // fails unless the map it names is there too, so copy it alongside when the package ships one.
  const map = join(modules, `${from}.map`);
  if (existsSync(map)) cpSync(map, join(out, `${to}.map`));
}
console.log(`front-end assets built in ${out} (site-root assets in ${siteRoot})`);
