import { shellQuote } from "../project/shell-quote.js";
import { join } from "../project/source-tree.js";
import type { Plan } from "./index.js";
import type { CheckSpec, ContainerSpec } from "../model/spec.js";

export interface PlannedCheck {
  id: string;
  stage: string;
  title: string;
  image: string;
  command: string;
  dependsOn: string[];
  services: string[];
  timeoutSeconds: number;
  runs: boolean;
  excludedBecause: string | null;
  /** Why the plan has it: the declaration that adopted its tool, or what it verifies. */
  why: string | null;
}

/** A check of a tool the project has not adopted, and why it is left out. */
export interface LeftOutCheck {
  id: string;
  stage: string;
  title: string;
  reason: string;
}

function image(container: ContainerSpec): string {
  const { base } = container;
  if (base.kind === "image") return base.image;
  const details = [base.context === "." ? "" : `context ${base.context}`, base.target === undefined ? "final stage" : `stage ${base.target}`].filter(Boolean);
  return `${join(base.context, base.dockerfile)} (Dockerfile build, ${details.join(", ")})`;
}

function services(container: ContainerSpec): string[] {
  return container.services.flatMap((b) => [b.alias, ...services(b.service.container)]).filter((a, i, all) => all.indexOf(a) === i);
}

function describe(spec: CheckSpec, excludedBecause: string | null): PlannedCheck {
  return {
    id: spec.id,
    stage: spec.stage,
    title: spec.title,
    image: image(spec.container),
    command: shellQuote(spec.command),
    dependsOn: spec.dependsOn,
    services: services(spec.container),
    timeoutSeconds: Math.round(spec.timeoutMs / 1000),
    runs: excludedBecause === null,
    excludedBecause,
    why: spec.why ?? null,
  };
}

export function describePlan(plan: Plan): { checks: PlannedCheck[]; leftOut: LeftOutCheck[]; errors: string[] } {
  return {
    checks: [...plan.checks.map((s) => describe(s, null)), ...plan.excluded.map((e) => describe(e.spec, e.reason))],
    leftOut: plan.leftOut.map(({ id, stage, title, reason }) => ({ id, stage, title, reason })),
    errors: plan.errors,
  };
}

/** The plan as text (one block per check) or JSON; nothing is run. */
export function renderPlan(plan: Plan, format: "text" | "json"): string {
  const described = describePlan(plan);
  if (format === "json") return `${JSON.stringify(described, null, 2)}\n`;
  const lines = [`${plan.checks.length} check(s) would run${plan.excluded.length > 0 ? `, ${plan.excluded.length} excluded` : ""}:`, ""];
  for (const c of described.checks) {
    lines.push(`${c.runs ? "•" : "○"} ${c.id} — ${c.title}${c.excludedBecause ? ` (${c.excludedBecause})` : ""}`);
    if (c.why !== null) lines.push(`    why: ${c.why}`);
    lines.push(`    image: ${c.image}`, `    command: ${c.command}`);
    if (c.services.length > 0) lines.push(`    services: ${c.services.join(", ")}`);
    if (c.dependsOn.length > 0) lines.push(`    after: ${c.dependsOn.join(", ")}`);
  }
  if (described.leftOut.length > 0) {
    lines.push("", "Left out (not adopted by this project):", ...described.leftOut.map((l) => `  - ${l.id}: ${l.reason}`));
  }
  if (described.errors.length > 0) lines.push("", "Errors:", ...described.errors.map((e) => `  ✗ ${e}`));
  return `${lines.join("\n")}\n`;
}
