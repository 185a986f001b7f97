import type { SiteInfo } from "@agency/ui";

export const site: SiteInfo = {
  slug: "bright-dental",
  name: "Bright Dental Studio",
  tagline: "Family and cosmetic dentistry in Round Rock, with evening appointments.",
  phone: "+15125550163",
  email: "frontdesk@brightdental.example",
  address: ["301 W Main St", "Round Rock, TX 78664"],
  hours: [
    { days: "Mon–Thu", opens: "08:00", closes: "19:00" },
    { days: "Fri", opens: "08:00", closes: "14:00" },
    { days: "Sat–Sun" },
  ],
  services: [
    { name: "Check-ups and cleaning", description: "Exams, X-rays and hygiene visits for the whole family." },
    { name: "Whitening", description: "In-office and take-home whitening.", fromPrice: 299 },
    { name: "Invisalign", description: "Clear aligners with a free first consultation." },
  ],
};

/** Where the contact form posts when PUBLIC_INTAKE_URL is not set at build time. */
export const DEFAULT_INTAKE_URL = "https://intake.fieldwork.studio";

export const accent = "#0f7c7a";
