/** The program a command runs: past `env` assignments, package-manager launchers and `python -m`. */
export function programOf(command: readonly string[]): string {
  let [first = "", ...rest] = command;
  if (first === "env") {
    const index = rest.findIndex((arg) => !arg.includes("="));
    [first = "", ...rest] = index === -1 ? [] : rest.slice(index);
  }
  if (first === "uv" && rest[0] === "tool" && rest[1] === "run") {
    const args = rest.slice(2);
    const from = args[0] === "--from" ? 2 : 0;
    return args[from] ?? first;
  }
  if (first === "pnpm" && rest[0] === "--dir") rest = rest.slice(2);
  const operands = rest.filter((arg) => arg !== "--no" && arg !== "--");
  if ((first === "npx" || first === "pnpx") && rest[0] === "--no") return operands[0] ?? first;
  if (first === "pnpm" && rest[0] === "exec") return rest[1] ?? first;
  if (first === "uv" && rest[0] === "run") return rest.find((arg, index) => index > 0 && !arg.startsWith("-")) ?? first;
  if (first.startsWith("python") && rest[0] === "-m") return rest[1] ?? first;
  return first;
}
