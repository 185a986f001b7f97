import type { SiteInfo } from "@agency/ui";

export const site: SiteInfo = {
  slug: "northside-plumbing",
  name: "Northside Plumbing & Drain",
  tagline: "Licensed plumbers for North Austin homes: leaks, water heaters, drains.",
  phone: "+15125550187",
  email: "office@northsideplumbing.example",
  address: ["8401 Research Blvd, Suite 110", "Austin, TX 78758"],
  hours: [
    { days: "Mon–Fri", opens: "07:30", closes: "18:00" },
    { days: "Sat", opens: "09:00", closes: "13:00" },
    { days: "Sun" },
  ],
  services: [
    { name: "Leak repair", description: "Slab leaks, pipe bursts and dripping fixtures, found and fixed.", fromPrice: 120 },
    { name: "Water heaters", description: "Tank and tankless installs, flushes and repairs.", fromPrice: 1450 },
    { name: "Drain cleaning", description: "Camera inspection and hydro-jetting for stubborn clogs.", fromPrice: 180 },
  ],
};

/** Where the contact form posts when PUBLIC_INTAKE_URL is not set at build time. */
export const DEFAULT_INTAKE_URL = "https://intake.fieldwork.studio";

export const accent = "#1f4e8c";
