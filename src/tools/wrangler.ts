/** wrangler's configuration files, in the order wrangler itself prefers them: a directory with one is a worker. */
export const WRANGLER_CONFIGS = ["wrangler.json", "wrangler.jsonc", "wrangler.toml"] as const;

/** The file beside the configuration whose values `wrangler dev` binds (2, 3 and 4 all read it; it overrides `[vars]`). */
export const DEV_VARS_FILE = ".dev.vars";

/**
 * `wrangler dev` as a service: local, on every interface, on `port`. No
 * --show-interactive-dev-session: wrangler 2 rejects flags it does not know, and a service has no TTY.
 */
export function wranglerDevArgs(port: number): string[] {
  return ["dev", "--local", "--ip", "0.0.0.0", "--port", String(port)];
}
