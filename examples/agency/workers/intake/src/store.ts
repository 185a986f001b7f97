import type { Submission } from "./form.ts";

/** The part of neon()'s query function the worker uses (a tagged template returning rows). */
export type Sql = (strings: TemplateStringsArray, ...params: unknown[]) => Promise<Record<string, unknown>[]>;

/**
 * Inserts the submission into the Django app's leads table and returns its id. Status,
 * created_at and notes are filled in by the column defaults the Django migration declares.
 */
export async function insertSubmission(sql: Sql, s: Submission): Promise<number> {
  const rows = await sql`
    INSERT INTO leads_submission (site, name, email, phone, message)
    VALUES (${s.site}, ${s.name}, ${s.email}, ${s.phone}, ${s.message})
    RETURNING id`;
  const id = Number(rows[0]?.id);
  if (!Number.isSafeInteger(id)) throw new Error("INSERT returned no id");
  return id;
}
