/// <reference types="astro/client" />

interface ImportMetaEnv {
  /** Base URL of the intake worker; the contact form posts to <base>/submit/<slug> */
  readonly PUBLIC_INTAKE_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
