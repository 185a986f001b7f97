import { setMaxListeners } from "node:events";
import { abortReason } from "./docker-cli.js";

/**
 * Deduplicates concurrent work by key, like Dagger runs one operation for all the
 * checks that ask for the same digest at once (four Python checks, one `uv sync`). The
 * work has its own abort signal, aborted only when every caller waiting on it has
 * aborted, so one check's timeout does not kill an install another check still needs.
 */
export class SharedWork<T> {
  private readonly running = new Map<string, { promise: Promise<T>; controller: AbortController; waiters: number }>();

  run(key: string, signal: AbortSignal, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (signal.aborted) return Promise.reject(abortReason(signal));
    let entry = this.running.get(key);
    if (!entry) {
      const controller = new AbortController();
      setMaxListeners(100, controller.signal);
      const promise = work(controller.signal);
      const created = { promise, controller, waiters: 0 };
      entry = created;
      this.running.set(key, created);
      const forget = () => {
        if (this.running.get(key) === created) this.running.delete(key);
      };
      promise.then(forget, forget);
    }
    const shared = entry;
    shared.waiters++;
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const onAbort = () => {
        if (settled) return;
        settled = true;
        shared.waiters--;
        if (shared.waiters === 0) {
          if (this.running.get(key) === shared) this.running.delete(key);
          shared.controller.abort(abortReason(signal));
        }
        reject(abortReason(signal));
      };
      signal.addEventListener("abort", onAbort, { once: true });
      shared.promise.then(
        (value) => {
          if (settled) return;
          settled = true;
          signal.removeEventListener("abort", onAbort);
          resolve(value);
        },
        (error: unknown) => {
          if (settled) return;
          settled = true;
          signal.removeEventListener("abort", onAbort);
          reject(error);
        },
      );
    });
  }
}
