import type { CheckSpec } from "../../src/model/spec.js";
import type { Execution, Executor } from "../../src/run/executor.js";
import { checkSpec } from "./check-spec.js";

export type Behaviour =
  | { kind: "exit"; code: number; stdout?: string; stderr?: string; files?: Record<string, string>; delayMs?: number; outputBytesDropped?: number; setupMs?: number }
  | { kind: "throw"; message: string }
  | { kind: "hang" }
  | { kind: "prepare-fail"; step: string; stderr: string };

/** An executor driven by a script of behaviours per check id, recording what ran and when. */
export class FakeExecutor implements Executor {
  /** Ids in the order their executions began (preparation included). */
  readonly started: string[] = [];
  /** Ids in the order their commands began (after `ready`). */
  readonly commandsStarted: string[] = [];
  /** `prepare <id>`, `command <id>`, `end <id>`, in the order they happened. */
  readonly events: string[] = [];
  readonly aborted: string[] = [];
  running = 0;
  maxRunning = 0;

  constructor(private readonly behaviours: Record<string, Behaviour>) {}

  async run(spec: CheckSpec, signal: AbortSignal, commandStarted?: () => void, ready?: () => Promise<void>): Promise<Execution> {
    const behaviour = this.behaviours[spec.id] ?? { kind: "exit", code: 0, delayMs: 20 };
    this.started.push(spec.id);
    this.events.push(`prepare ${spec.id}`);
    if (behaviour.kind === "exit" && behaviour.setupMs) await new Promise((resolve) => setTimeout(resolve, behaviour.setupMs));
    await ready?.();
    this.commandsStarted.push(spec.id);
    this.events.push(`command ${spec.id}`);
    if (behaviour.kind !== "prepare-fail") commandStarted?.();
    this.running += 1;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    try {
      switch (behaviour.kind) {
        case "throw":
          throw new Error(behaviour.message);
        case "hang":
          await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
          this.aborted.push(spec.id);
          throw new Error("aborted");
        case "prepare-fail":
          return { phase: "prepare", failedStep: behaviour.step, exitCode: 1, stdout: "", stderr: behaviour.stderr, files: {} };
        case "exit":
          await new Promise((resolve) => setTimeout(resolve, behaviour.delayMs ?? 20));
          return {
            phase: "command",
            exitCode: behaviour.code,
            stdout: behaviour.stdout ?? "",
            stderr: behaviour.stderr ?? "",
            files: behaviour.files ?? {},
            ...(behaviour.outputBytesDropped !== undefined ? { outputBytesDropped: behaviour.outputBytesDropped } : {}),
          };
      }
    } finally {
      this.running -= 1;
      this.events.push(`end ${spec.id}`);
    }
  }
}

export function spec(id: string, dependsOn: string[] = [], timeoutMs = 5_000): CheckSpec {
  return checkSpec(id, { dependsOn, timeoutMs });
}
