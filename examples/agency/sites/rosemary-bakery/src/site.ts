import type { SiteInfo } from "@agency/ui";

export const site: SiteInfo = {
  slug: "rosemary-bakery",
  name: "Rosemary Bakery",
  tagline: "Sourdough, pastries and celebration cakes, baked in East Austin since 2014.",
  phone: "+15125550142",
  email: "orders@rosemarybakery.example",
  address: ["1907 E Cesar Chavez St", "Austin, TX 78702"],
  hours: [
    { days: "Tue–Fri", opens: "07:00", closes: "15:00" },
    { days: "Sat–Sun", opens: "08:00", closes: "14:00" },
    { days: "Mon" },
  ],
  services: [
    { name: "Daily bread", description: "Country sourdough, rye and focaccia, out of the oven by 8 am." },
    { name: "Celebration cakes", description: "Three-tier wedding cakes to birthday layer cakes; order a week ahead.", fromPrice: 85 },
    { name: "Wholesale", description: "Bread and pastry for cafés and restaurants, delivered before 7 am." },
  ],
};

/** Where the contact form posts when PUBLIC_INTAKE_URL is not set at build time. */
export const DEFAULT_INTAKE_URL = "https://intake.fieldwork.studio";

export const accent = "#8a4b2a";
