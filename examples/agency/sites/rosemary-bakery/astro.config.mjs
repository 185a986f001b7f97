import { defineConfig } from "astro/config";

export default defineConfig({
  site: "https://rosemarybakery.example",
  trailingSlash: "always",
});
