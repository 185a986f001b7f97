import { defineConfig } from "astro/config";

export default defineConfig({
  site: "https://northsideplumbing.example",
  trailingSlash: "always",
});
