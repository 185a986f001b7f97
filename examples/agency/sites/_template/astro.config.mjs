import { defineConfig } from "astro/config";

export default defineConfig({
  site: "https://client.example",
  trailingSlash: "always",
});
