import { randomBytes } from "node:crypto";
import { POSTGRES, SECRET_NAMES, type SecretName } from "../plan/constants.js";

/** Secrets a caller may pass; the rest belong to the run's throw-away stack. */
export type CallerSecrets = Partial<Record<typeof SECRET_NAMES.secretKey | typeof SECRET_NAMES.intakeApiKey, string>>;

function randomValue(): string {
  return randomBytes(24).toString("base64url");
}

/**
 * Every secret a plan may name, as plaintext for the executor and for redaction. What the
 * caller did not pass is random for this run; the database is always the run's own.
 */
export function resolveRunSecrets(passed: CallerSecrets): Record<SecretName, string> {
  const postgresPassword = randomValue();
  return {
    secretKey: passed.secretKey ?? randomValue(),
    intakeApiKey: passed.intakeApiKey ?? randomValue(),
    postgresPassword,
    databaseUrl: `postgres://${POSTGRES.user}:${postgresPassword}@${POSTGRES.alias}:${POSTGRES.port}/${POSTGRES.database}`,
  };
}
