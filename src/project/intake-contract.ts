import type { DjangoApp, NodePackage } from "./discover.js";
import { join, type SourceTree } from "./source-tree.js";

/**
 * The intake contract predeploy's default end-to-end request follows — a worker taking forms on
 * `/intake/<client>/form` that lands them in the backend's `inbox` app as a `Submission` — found in
 * the code itself: a worker whose source routes `/intake/`, and a Django app `inbox` whose models
 * define `Submission`. Only then does an end-to-end check run that the project did not declare.
 */
export interface IntakeContract {
  worker: string;
  why: string;
}

const SOURCE_FILE = /\.(?:[cm]?[jt]s|tsx|jsx)$/;

/** The text of a worker's source files (its src/ folder, else its own folder), bounded. */
async function workerSources(tree: SourceTree, worker: NodePackage): Promise<string[]> {
  const texts: string[] = [];
  const visit = async (dir: string, depth: number): Promise<void> => {
    for (const entry of await tree.list(dir)) {
      if (texts.length >= 50) return;
      if (entry.endsWith("/")) {
        if (depth < 3 && !["node_modules/", "dist/", ".wrangler/", "test/", "tests/"].includes(entry)) await visit(join(dir, entry.slice(0, -1)), depth + 1);
      } else if (SOURCE_FILE.test(entry) && !/\.(test|spec)\./.test(entry)) {
        texts.push((await tree.readText(join(dir, entry))) ?? "");
      }
    }
  };
  await visit(worker.files.includes("src/") ? join(worker.dir, "src") : worker.dir, 0);
  return texts;
}

async function definesSubmissionInInbox(tree: SourceTree, django: DjangoApp): Promise<string | null> {
  for (const root of [...new Set([django.dir, django.projectDir, django.importRoot])]) {
    const models = join(root, "inbox", "models.py");
    const text = await tree.readText(models);
    if (text !== null && /^class Submission\(/m.test(text)) return models;
  }
  return null;
}

export async function findIntakeContract(tree: SourceTree, django: DjangoApp | null, workers: readonly NodePackage[]): Promise<IntakeContract | null> {
  if (django === null) return null;
  const models = await definesSubmissionInInbox(tree, django);
  if (models === null) return null;
  for (const worker of workers) {
    const routes = (await workerSources(tree, worker)).some((text) => /["'`/^\\]\/?intake\\?\//.test(text));
    if (routes) return { worker: worker.name, why: `the intake contract is in the code: ${worker.dir} routes /intake/ and ${models} defines Submission` };
  }
  return null;
}
