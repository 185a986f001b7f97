import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument } from "yaml";

export type YamlPath = (string | number)[];
export type YamlLine = (path: YamlPath) => number | null;

/** A YAML file as plain data, with the line of the key (or list item) at a path; null after a problem. */
export function readYaml(file: string, text: string, problems: string[], fix: string): { data: unknown; line: YamlLine } | null {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const error = doc.errors[0];
  if (error !== undefined) {
    problems.push(`${file}: not valid YAML at line ${lineCounter.linePos(error.pos[0]).line} (${error.message}); ${fix}`);
    return null;
  }
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (thrown) {
    problems.push(`${file}: not valid YAML (${(thrown as Error).message}); ${fix}`);
    return null;
  }
  const line = (path: YamlPath): number | null => {
    const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
    const last = path[path.length - 1];
    const node = isMap(parent)
      ? parent.items.find((pair) => isScalar(pair.key) && String(pair.key.value) === String(last))?.key
      : isSeq(parent) && typeof last === "number"
        ? parent.items[last]
        : undefined;
    const start = isNode(node) ? node.range?.[0] : undefined;
    return start === undefined ? null : lineCounter.linePos(start).line;
  };
  return { data, line };
}
