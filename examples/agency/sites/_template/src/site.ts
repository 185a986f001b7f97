import type { SiteInfo } from "@agency/ui";

export const site: SiteInfo = {
  slug: "client-slug",
  name: "Client Name",
  tagline: "One line about what the business does.",
  phone: "+15125550100",
  email: "hello@client.example",
  address: ["123 Main St", "Austin, TX 78701"],
  hours: [
    { days: "Mon–Fri", opens: "09:00", closes: "17:00" },
    { days: "Sat–Sun" },
  ],
  services: [
    { name: "First service", description: "What it is and who it is for." },
    { name: "Second service", description: "What it is and who it is for." },
  ],
};

/** Where the contact form posts when PUBLIC_INTAKE_URL is not set at build time. */
export const DEFAULT_INTAKE_URL = "https://intake.fieldwork.studio";

export const accent = "#2f6f4f";
