/**
 * Child process: runs the Dagger SDK's introspector (`scan`) on the given module files and
 * prints the module as JSON. Run with the module's directory as cwd, so that tsx compiles
 * the module with the module's own tsconfig (experimental decorators), as the runtime does.
 */
import { pathToFileURL } from "node:url";

const [introspector, ...files] = process.argv.slice(2);
if (introspector === undefined || files.length === 0) throw new Error("usage: scan-module.ts INTROSPECTOR FILE...");
type Scanned = { objects: Record<string, { methods: Record<string, { isCheck?: boolean; isGenerator?: boolean; cache?: string }> }> };
const { scan } = (await import(pathToFileURL(introspector).href)) as { scan: (files: string[], name: string) => Promise<Scanned> };
const module = await scan(files, "predeploy");
const json = JSON.parse(JSON.stringify(module)) as Scanned;
// The introspector's JSON form leaves out whether a function is a check or a generator and its cache policy; carry them over.
for (const [objectName, object] of Object.entries(module.objects)) {
  for (const [methodName, method] of Object.entries(object.methods)) {
    const target = json.objects[objectName]?.methods[methodName];
    if (target) {
      target.isCheck = method.isCheck === true;
      target.isGenerator = method.isGenerator === true;
      if (method.cache !== undefined) target.cache = method.cache;
    }
  }
}
process.stdout.write(JSON.stringify(json));
