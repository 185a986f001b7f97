import { defineConfig } from "astro/config";

export default defineConfig({
  site: "https://brightdental.example",
  trailingSlash: "always",
});
