import { shellQuote } from "../project/shell-quote.js";
import { join } from "../project/source-tree.js";
import type { Plan } from "./index.js";
import type { DjangoApp } from "../project/discover.js";
import { shownCommand } from "../project/deployment.js";
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

/** One fact of the declared stack and the declaration it came from. */
export interface StackFact {
  what: string;
  value: string;
  from: string;
}

/** What the verify and test stages run, and where each part came from. */
function describeStack(django: DjangoApp | null, pythonImage: string): StackFact[] {
  if (django === null) return [];
  const { deployment, services, database } = django;
  const facts: StackFact[] = [];
  const declared = django.python !== null && pythonImage === `python:${django.python.version}-slim`;
  facts.push({ what: "python", value: `${declared ? django.python?.version : "as the image"} (the checks run in ${pythonImage})`, from: declared ? (django.python?.why ?? "") : django.python === null ? "nothing names one: predeploy's default image" : "predeploy.json or the caller names the image" });
  const image = deployment.image;
  facts.push(
    image === null
      ? { what: "image", value: "none: the production dependencies run the backend", from: "no Dockerfile is declared or found" }
      : { what: "image", value: `${image.path}${image.target !== null ? ` (stage ${image.target})` : ""}${image.others.length > 0 ? `; also there: ${image.others.join(", ")}` : ""}`, from: image.why },
  );
  facts.push(deployment.start === null ? { what: "start", value: "the image's own command", from: image === null ? "manage.py runserver" : `${image.path}'s CMD/ENTRYPOINT` } : { what: "start", value: shownCommand(deployment.start), from: deployment.start.why });
  if (deployment.release !== null) facts.push({ what: "release", value: shownCommand(deployment.release), from: deployment.release.why });
  facts.push({ what: "port", value: String(deployment.port.port), from: deployment.port.why });
  facts.push(deployment.health === null ? { what: "health", value: "/health, else /admin/login/, else /", from: "nothing declares a health route" } : { what: "health", value: `${deployment.health.path}${deployment.health.port !== null ? ` on port ${deployment.health.port}` : ""}`, from: deployment.health.why });
  facts.push({ what: "database", value: database.engine === "sqlite" ? "SQLite (no database service)" : `Postgres ${database.name} (user ${database.user}, ${database.scheme}://)${database.aliases.length > 0 ? ` as db, ${database.aliases.join(", ")}` : " as db"}`, from: database.why });
  for (const service of services.verify.filter((s) => s.kind !== "postgres")) facts.push({ what: "service", value: `${service.name} (${service.image ?? service.build?.dockerfile ?? "?"})`, from: service.why });
  for (const service of services.tests.filter((s) => s.kind !== "postgres")) facts.push({ what: "test service", value: `${service.name} (${service.image ?? service.build?.dockerfile ?? "?"})`, from: service.why });
  if (django.developmentEnv !== null) facts.push({ what: "development env", value: `${Object.keys(django.developmentEnv.env).join(", ")} (the test stage starts from it)`, from: django.developmentEnv.why });
  for (const left of services.leftOut) facts.push({ what: "left out", value: left.name, from: left.why });
  return facts;
}

export function describePlan(plan: Plan): { stack: StackFact[]; checks: PlannedCheck[]; leftOut: LeftOutCheck[]; notes: string[]; errors: string[] } {
  return {
    stack: describeStack(plan.stack?.django ?? null, plan.images.python),
    checks: [...plan.checks.map((s) => describe(s, null)), ...plan.excluded.map((e) => describe(e.spec, e.reason))],
    leftOut: plan.leftOut.map(({ id, stage, title, reason }) => ({ id, stage, title, reason })),
    notes: plan.stack?.django?.declarations.notes ?? [],
    errors: plan.errors,
  };
}

/** The plan as text (one block per check) or JSON; nothing is run. */
export function renderPlan(plan: Plan, format: "text" | "json"): string {
  const described = describePlan(plan);
  if (format === "json") return `${JSON.stringify(described, null, 2)}\n`;
  const lines: string[] = [];
  if (described.stack.length > 0) {
    lines.push("The stack, as the repository declares it:", ...described.stack.map((f) => `  ${f.what}: ${f.value}\n      from ${f.from}`), "");
  }
  lines.push(`${plan.checks.length} check(s) would run${plan.excluded.length > 0 ? `, ${plan.excluded.length} excluded` : ""}:`, "");
  for (const c of described.checks) {
    lines.push(`${c.runs ? "•" : "○"} ${c.id} — ${c.title}${c.excludedBecause ? ` (${c.excludedBecause})` : ""}`);
    if (c.why !== null) lines.push(`    why: ${c.why}`);
    lines.push(`    image: ${c.image}`, `    command: ${c.command}`);
    if (c.services.length > 0) lines.push(`    services: ${c.services.join(", ")}`);
    if (c.dependsOn.length > 0) lines.push(`    after: ${c.dependsOn.join(", ")}`);
  }
  if (described.leftOut.length > 0) {
    lines.push("", "Left out:", ...described.leftOut.map((l) => `  - ${l.id}: ${l.reason}`));
  }
  if (described.notes.length > 0) lines.push("", "Notes:", ...described.notes.map((n) => `  - ${n}`));
  if (described.errors.length > 0) lines.push("", "Errors:", ...described.errors.map((e) => `  ✗ ${e}`));
  return `${lines.join("\n")}\n`;
}
