/**
 * The contracts between planning and parsing: where things sit inside a check's container
 * and the markers a planned command prints for its parser. Both sides import them from here.
 */

/** Where the source tree lives inside every container. */
export const SOURCE_ROOT = "/src";

/** Scratch directory for files a check writes and the executor reads back. */
export const OUTPUT_DIR = "/tmp/predeploy";

/** The Python environment of the quality and test checks: the project's dependencies, dev tools included. */
export const CHECKS_VENV = "/venv";

/** pytest's JUnit report, read back after the run. */
export const PYTEST_JUNIT = `${OUTPUT_DIR}/pytest.xml`;

/** What a site build prints when its build script left no output; the site-build parser reads it. */
export function emptyOutputMessage(dir: string): string {
  return `predeploy: output directory ${dir} is empty or missing`;
}
export const EMPTY_OUTPUT_MARKER = /^predeploy: output directory .+ is empty or missing$/;

/** The uv release installed into the Python checks' containers. */
export const UV_VERSION = "0.9.30";
