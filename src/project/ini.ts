/**
 * The sections of an INI file (setup.cfg, tox.ini, mypy.ini, pytest.ini, .flake8, .isort.cfg)
 * and their keys, as configparser reads them: `key = value` or `key: value`, continuation
 * lines indented, `#`/`;` comments. Values keep their continuation lines joined by "\n".
 */
export type IniSections = Map<string, Map<string, string>>;

export function parseIni(text: string): IniSections {
  const sections: IniSections = new Map();
  let current: Map<string, string> | null = null;
  let lastKey: string | null = null;
  for (const raw of text.split(/\r?\n/)) {
    if (/^\s*[#;]/.test(raw) || raw.trim() === "") continue;
    const header = /^\[([^\]]+)\]\s*$/.exec(raw);
    if (header) {
      current = new Map();
      sections.set((header[1] as string).trim(), current);
      lastKey = null;
      continue;
    }
    if (current === null) continue;
    if (/^\s/.test(raw) && lastKey !== null) {
      current.set(lastKey, `${current.get(lastKey) ?? ""}\n${raw.trim()}`.trim());
      continue;
    }
    const pair = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(raw);
    if (pair) {
      lastKey = (pair[1] as string).trim().toLowerCase();
      current.set(lastKey, (pair[2] as string).trim());
    }
  }
  return sections;
}
