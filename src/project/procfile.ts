import type { Declared } from "./declared.js";
import type { SourceTree } from "./source-tree.js";

/** `name: command`, with the process names Heroku and foreman accept. */
const PROCESS_LINE = /^\s*([A-Za-z0-9_-]+)\s*:\s*(.*?)\s*$/;

/**
 * A Procfile's processes by name (web, release, worker, beat, …): each a shell command line as
 * written (leading VAR=value assignments kept), with its line. Comments, blank lines and lines
 * that are no `name: command` are skipped; a name given twice keeps its last line, as a map would.
 */
export async function readProcfile(tree: SourceTree): Promise<Record<string, Declared<string>> | null> {
  const text = await tree.readText("Procfile");
  if (text === null) return null;
  const processes = new Map<string, Declared<string>>();
  text
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/)
    .forEach((line, index) => {
      const match = PROCESS_LINE.exec(line);
      if (match && match[2] !== "") processes.set(match[1] as string, { value: match[2] as string, from: { file: "Procfile", line: index + 1 } });
    });
  // fromEntries, not assignment: a process named `__proto__` stays a process.
  return Object.fromEntries(processes);
}
