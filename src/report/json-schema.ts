import { z } from "zod";
import { Report, SCHEMA_VERSION } from "../model/report.js";

export const REPORT_SCHEMA_ID = `urn:predeploy:report:${SCHEMA_VERSION}`;

/**
 * The report's JSON Schema (draft 2020-12), generated from the zod schema so the two can
 * never disagree; committed as schema/report.schema.json for consumers outside TypeScript.
 */
export function reportJsonSchema(): Record<string, unknown> {
  const { $schema, ...body } = z.toJSONSchema(Report, { target: "draft-2020-12", io: "output" });
  return {
    $schema,
    $id: REPORT_SCHEMA_ID,
    title: "predeploy report",
    description: `The report of one predeploy run, schema version ${SCHEMA_VERSION}.`,
    ...body,
  };
}
