import { DockerExecutor } from "./docker-executor.js";
import type { CheckSpec } from "../../src/plan/spec.js";
const ex = new DockerExecutor("/tmp/fdev/src1", { tok: "s3cr3t-value" });
const pg = { container: { base: { kind: "image" as const, image: "fdev-busybox:1" }, workdir: "/", env: {}, secretEnv: {}, caches: [], layers: [], services: [] }, args: ["sh", "-c", "mkdir -p /w && echo db > /w/index.html && sleep 1 && httpd -f -p 5432 -h /w"], ports: [5432] };
const spec: CheckSpec = {
  id: "x", stage: "test", title: "x", parser: "exit-code", pathBase: ".", dependsOn: [], timeoutMs: 60000,
  container: {
    base: { kind: "image", image: "fdev-busybox:1" }, workdir: "/src/app", env: { FOO: "bar" }, secretEnv: { TOKEN: "tok" },
    caches: [{ path: "/cache", volume: "fdev" }],
    layers: [
      { kind: "copy", copy: { from: "app", to: "/src/app", include: ["lock.txt"] } },
      { kind: "exec", args: ["sh", "-c", "echo installing; sleep 2; cat /src/app/lock.txt > /installed; date >> /cache/runs"] },
      { kind: "file", path: "/etc/probe/p.sh", contents: "echo probe\n" },
      { kind: "copy", copy: { from: ".", to: "/src" } },
    ],
    services: [{ alias: "db", service: pg }, { alias: "db2", service: pg }],
  },
  command: ["sh", "-c", "pwd; echo $FOO $TOKEN; cat /installed; ls -R /src; sh /etc/probe/p.sh; cat /cache/runs | wc -l; echo 'GET / HTTP/1.0\r\n\r\n' | nc db 5432 | tail -1; echo x | nc db2 5432 >/dev/null && echo db2ok; echo out > /tmp/o.txt; exit 3"],
  outputFiles: ["/tmp/o.txt", "/tmp/missing"],
};
const t = Date.now();
const r = await ex.run(spec, new AbortController().signal);
console.log(JSON.stringify(r, null, 1), Date.now() - t, "ms");
