export interface OpeningHours {
  /** e.g. "Mon–Fri" */
  days: string;
  /** 24-hour "HH:MM"; omit both for a closed day */
  opens?: string;
  closes?: string;
}

export interface Service {
  name: string;
  description: string;
  /** Starting price in whole dollars, when the client wants one shown */
  fromPrice?: number;
}

export interface SiteInfo {
  /** The name the contact form posts under; must match the site's slug in the admin */
  slug: string;
  name: string;
  tagline: string;
  /** E.164, e.g. +15125550142 */
  phone: string;
  email: string;
  address: string[];
  hours: OpeningHours[];
  services: Service[];
}
