import type { Ecosystem, ToolRole } from "../model/spec.js";
import { notAdopted, type Adoption } from "./types.js";

/** Roles a project has one of per ecosystem: the Python code is formatted by one formatter and tested by one runner. */
const ONE_PER_ECOSYSTEM: readonly ToolRole[] = ["formatter", "test-runner"];

/** A registry tool with its check's id (a Node tool's names its package) and the project's adoption of it. */
export interface Candidate<T extends { role: ToolRole; ecosystem: Ecosystem }> {
  tool: T;
  id: string;
  adoption: Adoption;
}

/**
 * The registry's rules over every entry's own adoption: of the roles a project has one of, a tool
 * adopted only by default (for want of another) yields to one of the same role and ecosystem the
 * project did adopt. Two tools the project adopted both run: it declared both.
 */
export function applyRegistryRules<T extends { role: ToolRole; ecosystem: Ecosystem }>(candidates: readonly Candidate<T>[]): Candidate<T>[] {
  return candidates.map((candidate) => {
    const { tool, adoption } = candidate;
    if (!adoption.adopted || adoption.byDefault === undefined || !ONE_PER_ECOSYSTEM.includes(tool.role)) return candidate;
    const chosen = candidates.find((other) => other.tool !== tool && other.tool.role === tool.role && other.tool.ecosystem === tool.ecosystem && other.adoption.adopted && other.adoption.byDefault === undefined);
    if (chosen === undefined || !chosen.adoption.adopted) return candidate;
    return { ...candidate, adoption: notAdopted(`not the project's ${tool.role.replace("-", " ")}: ${chosen.adoption.by} (${chosen.id})`) };
  });
}
