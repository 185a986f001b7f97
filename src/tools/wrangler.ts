/** wrangler's configuration files, in the order wrangler itself prefers them: a directory with one is a worker. */
export const WRANGLER_CONFIGS = ["wrangler.json", "wrangler.jsonc", "wrangler.toml"] as const;
