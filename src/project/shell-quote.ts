const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quotes an argument list for a POSIX shell, for display and copy-paste. */
export function shellQuote(args: readonly string[]): string {
  return args.map((arg) => (arg !== "" && SAFE.test(arg) ? arg : `'${arg.replace(/'/g, `'"'"'`)}'`)).join(" ");
}
