import { randomBytes, randomUUID } from "node:crypto";
import type { SecretOrigin } from "../model/report.js";
import { POSTGRES, SECRET_NAMES, THROWAWAY_DATABASE_URL_SECRET, type SecretName } from "../plan/constants.js";
import { NEON_BRIDGE, neonBridgeConnectionString } from "../plan/neon-bridge.js";
import { createRunTls } from "./tls.js";

/** Secrets a caller may pass; the rest belong to the run's throw-away stack. */
export const CALLER_SECRETS = [SECRET_NAMES.secretKey, SECRET_NAMES.intakeApiKey, SECRET_NAMES.databaseUrl] as const;
export type CallerSecrets = Partial<Record<(typeof CALLER_SECRETS)[number], string>>;

/** A throw-away value, random for the run. */
function throwawayValue(bytes = 24): string {
  return randomBytes(bytes).toString("base64url");
}

/** How the run's throw-away database is named and spelt: as the project names its own (project/database.ts). */
export interface DatabaseIdentity {
  user: string;
  name: string;
  scheme: "postgres" | "postgresql";
}

const DEFAULT_IDENTITY: DatabaseIdentity = { user: POSTGRES.user, name: POSTGRES.database, scheme: "postgres" };

/**
 * Every secret a plan may name, as plaintext for the executor and for redaction. What the
 * caller did not pass is random for the run's throw-away stack. Without an external
 * `databaseUrl` the database is the run's own throw-away Postgres, named as `identity` says.
 */
export function resolveRunSecrets(passed: CallerSecrets, identity: DatabaseIdentity = DEFAULT_IDENTITY): Record<SecretName | typeof THROWAWAY_DATABASE_URL_SECRET, string> {
  const postgresPassword = throwawayValue();
  const account = `${encodeURIComponent(identity.user)}:${postgresPassword}`;
  const throwaway = `${identity.scheme}://${account}@${POSTGRES.alias}:${POSTGRES.port}/${encodeURIComponent(identity.name)}`;
  const databaseUrl = passed.databaseUrl ?? throwaway;
  const tls = createRunTls([NEON_BRIDGE.alias]);
  return {
    // 64 characters: as strong as Django's deployment checklist asks (security.W009: at least 50, 5 distinct), so its warning is the project's key, never the run's.
    secretKey: passed.secretKey ?? throwawayValue(48),
    intakeApiKey: passed.intakeApiKey ?? throwawayValue(),
    postgresPassword,
    databaseUrl,
    [THROWAWAY_DATABASE_URL_SECRET]: throwaway,
    // An external database is reached as it is; the throw-away one through the Neon bridge.
    neonDatabaseUrl: passed.databaseUrl ?? neonBridgeConnectionString(throwaway),
    neonBridgeCa: tls.caCert,
    neonBridgeTlsCert: tls.serverCert,
    neonBridgeTlsKey: tls.serverKey,
    [SECRET_NAMES.run]: randomUUID(),
  };
}

/** Where each caller secret of a run came from, for the report: never its value. */
export function secretOrigins(passed: CallerSecrets): SecretOrigin[] {
  return CALLER_SECRETS.map((name) => ({ name, origin: passed[name] !== undefined ? "passed" : "random per run" }));
}
