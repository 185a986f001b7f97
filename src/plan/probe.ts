/**
 * The verify stage's probe, written into its container as a file. Python because the
 * backend image already has it (and psycopg for the SQL read-back); standard library
 * otherwise. It prints JSON lines; the last one is the verdict the `http-probe` parser reads.
 */
export const PROBE_PATH = "/opt/predeploy/probe.py";

export const PROBE_SCRIPT = String.raw`"""predeploy verify-stage probe: health and intake end-to-end checks."""
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request


def emit(**fields):
    print(json.dumps(fields), flush=True)


def request(method, url, data=None, headers=None, attempts=30):
    """Retries connection errors only: the service's port may open before the app is ready."""
    last = None
    for _ in range(attempts):
        req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=15) as resp:
                return resp.status, resp.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode("utf-8", "replace")
        except (urllib.error.URLError, ConnectionError, TimeoutError) as err:
            last = err
            time.sleep(1)
    raise ConnectionError(f"{method} {url}: no answer after {attempts} attempts ({last})")


def verdict(failures, summary):
    emit(ok=not failures, summary=summary, failures=failures)
    return 0 if not failures else 1


def health(url):
    try:
        status, body = request("GET", url)
    except ConnectionError as err:
        return verdict([{"step": "connect", "message": str(err)}], f"GET {url}: unreachable")
    emit(step="health", status=status, body=body[:500])
    if status != 200:
        return verdict([{"step": "health", "message": f"GET {url} answered {status}: {body[:300]}"}], f"GET {url} answered {status}")
    return verdict([], f"GET {url} answered 200")


def intake(spec):
    url = spec["url"]
    form = spec["form"]
    expect = spec.get("expectStatus")
    try:
        status, body = request("POST", url, data=urllib.parse.urlencode(form).encode(), headers={"Content-Type": "application/x-www-form-urlencoded"})
    except ConnectionError as err:
        return verdict([{"step": "post-form", "message": str(err)}], f"POST {url}: unreachable")
    emit(step="post-form", status=status, body=body[:500])
    ok_status = status == expect if expect else 200 <= status < 300
    if not ok_status:
        wanted = expect or "2xx"
        return verdict([{"step": "post-form", "message": f"POST {url} answered {status} (expected {wanted}): {body[:300]}"}], f"form post answered {status}")
    try:
        submission_id = json.loads(body)["id"]
    except (ValueError, KeyError, TypeError):
        return verdict([{"step": "post-form", "message": f"answer has no JSON id: {body[:300]}"}], "form post answered without an id")
    import psycopg

    params = dict(form, id=submission_id)
    try:
        with psycopg.connect(os.environ["DATABASE_URL"], connect_timeout=15) as conn:
            rows = conn.execute(spec["sql"], params).fetchall()
    except Exception as err:  # noqa: BLE001 - any database failure is the finding
        return verdict([{"step": "query", "message": f"{type(err).__name__}: {err}"}], "read-back query failed")
    emit(step="query", rows=len(rows))
    if not rows:
        return verdict([{"step": "query", "message": f"submission {submission_id} was accepted but no row matches the read-back query"}], f"submission {submission_id} not in the database")
    return verdict([], f"submission {submission_id} posted through the worker and read back from Postgres")


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    if mode == "health":
        sys.exit(health(sys.argv[2]))
    if mode == "intake":
        sys.exit(intake(json.loads(sys.argv[2])))
    sys.exit(verdict([{"step": "usage", "message": "usage: probe.py health URL | intake JSON"}], "probe misused"))
`;
