"""predeploy's probe: health and intake end-to-end checks, against the verify stage's containers
or, with `settleSeconds` in the spec (the smoke stage), against a deployed environment."""
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request


def emit(**fields):
    print(json.dumps(fields), flush=True)


class SameSchemeRedirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects on the same scheme only: an app that redirects to https (SECURE_SSL_REDIRECT) answered with that redirect."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urllib.parse.urlsplit(newurl).scheme != urllib.parse.urlsplit(req.full_url).scheme:
            return None
        return super().redirect_request(req, fp, code, msg, headers, newurl)


OPENER = urllib.request.build_opener(SameSchemeRedirects)
# A deployed environment is asked as a browser asks: every redirect is followed (urllib stops a loop).
LIVE_OPENER = urllib.request.build_opener()


def request(method, url, data=None, headers=None, attempts=30, answer=None):
    """Retries connection errors only: the service's port may open before the app is ready.
    `answer`, when given, receives the response's headers."""
    last = None
    for _ in range(attempts):
        req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
        try:
            with OPENER.open(req, timeout=15) as resp:
                if answer is not None:
                    answer.update(resp.headers.items())
                return resp.status, resp.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as err:
            if answer is not None and err.headers is not None:
                answer.update(err.headers.items())
            return err.code, err.read().decode("utf-8", "replace")
        except (urllib.error.URLError, ConnectionError, TimeoutError) as err:
            last = err
            time.sleep(1)
    raise ConnectionError(f"{method} {url}: no answer after {attempts} attempts ({last})")


def live_request(method, url, settle, data=None, headers=None, answer=None):
    """A deployed service may still be starting: an unreachable host (refused, DNS, TLS) and a 5xx
    answer to a GET (the service, or its proxy's 502/503) are asked again until `settle` seconds have passed;
    then the last answer stands, and an unreachable host raises ConnectionError."""
    deadline = time.monotonic() + settle
    while True:
        req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
        try:
            with LIVE_OPENER.open(req, timeout=15) as resp:
                if answer is not None:
                    answer.update(resp.headers.items())
                status, body = resp.status, resp.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as err:
            if answer is not None and err.headers is not None:
                answer.update(err.headers.items())
            status, body = err.code, (err.read() if err.fp is not None else b"").decode("utf-8", "replace") or str(err)
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as err:
            if time.monotonic() >= deadline:
                raise ConnectionError(f"{method} {url}: unreachable for {settle}s ({getattr(err, 'reason', err)})") from err
            time.sleep(1)
            continue
        # A POST is not sent again once answered: the first may have been recorded.
        if status < 500 or method != "GET" or time.monotonic() >= deadline:
            return status, body
        time.sleep(1)


def asker(spec):
    """How the spec's requests are sent: retried within the settle time (deployed), else as `request`."""
    settle = spec.get("settleSeconds")
    if settle is None:
        return request
    return lambda method, url, data=None, headers=None, answer=None: live_request(method, url, settle, data=data, headers=headers, answer=answer)


def verdict(failures, summary, unreachable=False):
    """`unreachable`: nothing answered, so the check could not be done (status error, not failed)."""
    emit(ok=not failures, summary=summary, failures=failures, **({"unreachable": True} if unreachable else {}))
    return 0 if not failures else 1


HOST_HINT = " (Django answers 400 when the Host header is not in ALLOWED_HOSTS; predeploy sets ALLOWED_HOSTS, set your settings' own variable with env in predeploy.json)"


def redirects_to_https(url, status, headers):
    """The answer sends the same URL to https: what a TLS-terminating proxy's request would loop on."""
    location = {k.lower(): v for k, v in headers.items()}.get("location", "")
    target = urllib.parse.urlsplit(urllib.parse.urljoin(url, location))
    asked = urllib.parse.urlsplit(url)
    return 300 <= status < 400 and target.scheme == "https" and target.path == asked.path


def health(spec):
    """GET the health path, as a platform's proxy sends it (spec headers: X-Forwarded-Proto).
    Unless a status is configured, 2xx/3xx passes, but not a redirect of the same URL to https
    (behind the proxy that is a loop); a 404 (no health route) tries the fallback paths in order,
    where a status below 500 that the fallback does not reject shows the app serves requests; a
    5xx stops there."""
    base, path, expect, what = spec["base"], spec["path"], spec.get("expectStatus"), spec["what"]
    headers = spec.get("headers") or {}
    live = spec.get("settleSeconds") is not None
    ask = asker(spec)
    url = base + path
    answer = {}
    try:
        status, body = ask("GET", url, headers=headers, answer=answer)
    except ConnectionError as err:
        note = spec.get("unreachable")
        return verdict([{"step": "connect", "message": f"{err}{'; ' + note if note else ''}"}], f"GET {url}: unreachable{'; ' + note if note else ''}", unreachable=live)
    emit(step="health", url=url, status=status, body=body[:500])
    if live and 300 <= status < 400:
        return verdict([{"step": "health", "message": f"GET {url} answered {status} after following its redirects: a redirect loop, or a redirect without a target: {body[:300]}"}], f"GET {path} does not stop redirecting ({status})")
    text = spec.get("expectText")
    if text and status < 400 and text not in body:
        return verdict([{"step": "content", "message": f"GET {url} answered {status} without the expected text {text!r} (backend/workers health.expectText): {body[:300]}"}], f"GET {path} answered {status} with other content")
    if expect is None and redirects_to_https(url, status, answer):
        sent = ", ".join(f"{k}: {v}" for k, v in headers.items()) or "no proxy headers"
        message = f"GET {url} ({sent}) answered {status} to https: behind a TLS-terminating proxy that is a redirect loop; set SECURE_PROXY_SSL_HEADER (e.g. ('HTTP_X_FORWARDED_PROTO', 'https')) in the production settings"
        return verdict([{"step": "health", "message": message}], f"GET {path} redirects to https even from the proxy")
    if expect is not None:
        if status == expect:
            return verdict([], f"GET {path} answered {status}")
        return verdict([{"step": "health", "message": f"GET {url} answered {status} (expected {expect}): {body[:300]}"}], f"GET {path} answered {status}, expected {expect}")
    if 200 <= status < 400:
        return verdict([], f"GET {path} answered {status}")
    fallbacks = spec.get("fallbacks") or []
    if status != 404 or not fallbacks:
        hint = HOST_HINT if status == 400 and what == "backend" else ""
        return verdict([{"step": "health", "message": f"GET {url} answered {status}{hint}: {body[:300]}"}], f"GET {path} answered {status}")
    tried = []
    for fallback, rejected in ((f["path"], f["reject"]) for f in fallbacks):
        other = base + fallback
        try:
            other_status, other_body = ask("GET", other, headers=headers)
        except ConnectionError as err:
            return verdict([{"step": "connect", "message": str(err)}], f"GET {other}: unreachable", unreachable=live)
        emit(step="health-fallback", url=other, status=other_status, body=other_body[:500])
        if other_status < 500 and other_status not in rejected:
            return verdict([], f"GET {path} answered 404 (no health route); GET {fallback} answered {other_status}: the {what} serves requests")
        tried.append((fallback, other_status, other_body))
        if other_status >= 500:
            break
    summary = f"GET {path} answered 404; " + ", ".join(f"GET {p} answered {s}" for p, s, _ in tried)
    hint = HOST_HINT if any(s == 400 for _, s, _ in tried) and what == "backend" else ""
    config_hint = "" if tried and tried[-1][1] >= 500 else f" (if it is healthy, set {spec['configKey']} in predeploy.json to its health path and status)"
    message = summary + hint + config_hint + (": " + tried[-1][2][:300] if tried else "")
    return verdict([{"step": "health", "message": message}], summary)


def query(url, sql, params):
    """With the project's own driver: psycopg 3, else psycopg2 (both take %(name)s parameters)."""
    try:
        import psycopg
    except ImportError:
        import psycopg2

        conn = psycopg2.connect(url, connect_timeout=15)
        try:
            with conn.cursor() as cur:
                cur.execute(sql, params)
                return cur.fetchall()
        finally:
            conn.close()
    with psycopg.connect(url, connect_timeout=15) as conn:
        return conn.execute(sql, params).fetchall()


def answer_id(body, id_field):
    """The id in the answer: at `id_field` (a dotted path) when configured, else `id`, else the single `*_id` field.

    Returns (id, None) or (None, why).
    """
    try:
        answer = json.loads(body)
    except ValueError:
        return None, "the answer is not JSON"
    if id_field:
        value = answer
        for key in id_field.split("."):
            if not isinstance(value, dict) or key not in value:
                return None, f"the answer has no {id_field} (e2e.idField)"
            value = value[key]
        return value, None
    if not isinstance(answer, dict):
        return None, "the answer is not a JSON object"
    if "id" in answer:
        return answer["id"], None
    candidates = [key for key in answer if key.endswith("_id")]
    if len(candidates) == 1:
        return answer[candidates[0]], None
    named = f" (it has {', '.join(candidates)})" if candidates else ""
    return None, f"the answer has no id field{named}; name it with e2e.idField in predeploy.json"


def intake(spec):
    """Posts the form and reads the row back. Against a deployed environment (`settleSeconds`) the
    form carries the run's `marker` (in place of {marker} in its values, and as X-Predeploy-Smoke),
    and the read-back runs only where a database URL was given (`readBack`)."""
    url = spec["url"]
    marker = spec.get("marker")
    form = {key: value.replace("{marker}", marker) for key, value in spec["form"].items()} if marker else spec["form"]
    expect = spec.get("expectStatus")
    live = spec.get("settleSeconds") is not None
    headers = {"Content-Type": "application/x-www-form-urlencoded", **({"X-Predeploy-Smoke": marker} if marker else {})}
    try:
        status, body = asker(spec)("POST", url, data=urllib.parse.urlencode(form).encode(), headers=headers)
    except ConnectionError as err:
        return verdict([{"step": "post-form", "message": str(err)}], f"POST {url}: unreachable", unreachable=live)
    emit(step="post-form", status=status, body=body[:500])
    ok_status = status == expect if expect else 200 <= status < 300
    if not ok_status:
        wanted = expect or "2xx"
        hint = ""
        if status in (404, 405) and not spec.get("pathConfigured"):
            hint = " (the default request follows predeploy's intake contract; if your worker takes forms elsewhere, set e2e.path, e2e.form and e2e.sql in predeploy.json)"
        return verdict([{"step": "post-form", "message": f"POST {url} answered {status} (expected {wanted}){hint}: {body[:300]}"}], f"form post answered {status}")
    if not spec.get("readBack", True):
        return verdict([], f"form posted through the worker (answered {status}, marker {marker}); the read-back was not done: {spec.get('noReadBack')}")
    # A read-back query that does not use %(id)s needs no id from the answer.
    submission_id = None
    if "%(id)s" in spec["sql"]:
        submission_id, why = answer_id(body, spec.get("idField"))
        if why is not None:
            return verdict([{"step": "post-form", "message": f"{why}: {body[:300]}"}], "form post answered without an id")
    params = dict(form, id=submission_id, marker=marker)
    try:
        rows = query(os.environ["DATABASE_URL"], spec["sql"], params)
    except Exception as err:  # noqa: BLE001 - any database failure is the finding
        return verdict([{"step": "query", "message": f"{type(err).__name__}: {err}"}], "read-back query failed")
    emit(step="query", rows=len(rows))
    if not rows:
        return verdict([{"step": "query", "message": f"submission {submission_id or ''} was accepted but no row matches the read-back query"}], "submission not in the database")
    marked = f" (marker {marker})" if marker else ""
    return verdict([], f"submission {submission_id if submission_id is not None else '(no id needed)'}{marked} posted through the worker and read back from Postgres")


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    if mode == "health":
        sys.exit(health(json.loads(sys.argv[2])))
    if mode == "intake":
        sys.exit(intake(json.loads(sys.argv[2])))
    sys.exit(verdict([{"step": "usage", "message": "usage: probe.py health JSON | intake JSON"}], "probe misused"))
