"""
The fake Kubernetes API server: HTTP on 127.0.0.1 for exactly the REST paths the runtime uses,
answered from a `FakeCluster`. Anything else is a 404 and is recorded in `unhandled`, so a test
notices when the adapter starts using a path the fake does not know.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
from collections.abc import Iterator, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, cast
from urllib.parse import parse_qs, urlsplit

from kubernetes import client

from tests.k8s_fake.cluster import FakeCluster
from tests.k8s_fake.store import ApiError, Obj

ROUTE = re.compile(
    r"^/(?:api/v1|apis/batch/v1|apis/networking\.k8s\.io/v1)/namespaces/(?P<ns>[^/]+)/"
    r"(?P<resource>jobs|configmaps|networkpolicies|pods)(?:/(?P<name>[^/]+)(?P<log>/log)?)?$"
)
KINDS = {
    "jobs": ("Job", "batch/v1"),
    "configmaps": ("ConfigMap", "v1"),
    "networkpolicies": ("NetworkPolicy", "networking.k8s.io/v1"),
    "pods": ("Pod", "v1"),
}
API_PREFIX = {
    "Job": "/apis/batch/v1",
    "ConfigMap": "/api/v1",
    "NetworkPolicy": "/apis/networking.k8s.io/v1",
    "Pod": "/api/v1",
}


def _selector(query: Mapping[str, list[str]]) -> dict[str, str]:
    """Equality-based label selectors (`a=b,c=d`), the only kind the runtime sends."""
    labels: dict[str, str] = {}
    for term in filter(None, (query.get("labelSelector") or [""])[0].split(",")):
        key, sep, value = term.partition("=")
        if not sep or value.startswith("=") or key.endswith("!"):
            raise ApiError(400, "BadRequest", f"the fake API server only takes key=value selectors: {term}")
        labels[key] = value
    return labels


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    @property
    def fake(self) -> _Server:
        return cast(_Server, self.server)

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send_json(self, code: int, body: Obj) -> None:
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _stream(self, chunks: Iterator[bytes]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            for chunk in chunks:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                self.wfile.flush()
            self.wfile.write(b"0\r\n\r\n")

    def _body(self) -> Obj:
        length = int(self.headers.get("Content-Length") or 0)
        return json.loads(self.rfile.read(length)) if length else {}

    def _handle(self) -> None:
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        body = self._body()
        match = ROUTE.match(url.path)
        self.fake.requests.append((self.command, url.path))
        try:
            if match is None:
                raise self._unhandled()
            self._route(match, query, body)
        except ApiError as e:
            self._send_json(e.code, e.status())

    def _unhandled(self) -> ApiError:
        self.fake.unhandled.append((self.command, self.path))
        return ApiError(404, "NotFound", f"the fake API server does not serve {self.command} {self.path}")

    def _route(self, match: re.Match[str], query: Mapping[str, list[str]], body: Obj) -> None:
        cluster = self.fake.cluster
        ns, resource, name = match["ns"], match["resource"], match["name"]
        kind, api_version = KINDS[resource]
        verb = (self.command, name is not None, match["log"] is not None)
        if verb == ("GET", True, True) and kind == "Pod":
            follow = (query.get("follow") or ["false"])[0] == "true"
            return self._stream(cluster.log(ns, name, (query.get("container") or [None])[0], follow))
        if verb == ("POST", False, False) and kind != "Pod":
            return self._send_json(201, cluster.create(kind, ns, body))
        if verb == ("GET", False, False):
            items = cluster.store.find(kind, ns, _selector(query))
            return self._send_json(
                200,
                {
                    "kind": f"{kind}List",
                    "apiVersion": api_version,
                    "metadata": {"resourceVersion": "1"},
                    "items": items,
                },
            )
        if verb == ("GET", True, False):
            return self._send_json(200, cluster.store.get(kind, ns, name))
        if verb == ("PATCH", True, False) and kind in ("ConfigMap", "NetworkPolicy"):
            return self._send_json(200, cluster.patch(kind, ns, name, body))
        if verb == ("DELETE", True, False):
            propagation = (query.get("propagationPolicy") or [body.get("propagationPolicy")])[0]
            grace = (query.get("gracePeriodSeconds") or [body.get("gracePeriodSeconds")])[0]
            status = cluster.delete(kind, ns, name, propagation, None if grace is None else int(grace))
            return self._send_json(200, status)
        raise self._unhandled()

    do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = _handle


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, cluster: FakeCluster) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.cluster = cluster
        self.requests: list[tuple[str, str]] = []
        self.unhandled: list[tuple[str, str]] = []


class FakeKubernetes:
    """
    A running fake API server. `claims` maps PersistentVolumeClaim names to host folders; `images`
    are the images its kubelet can "pull" (others fail with ErrImagePull).
    """

    def __init__(self, claims: Mapping[str, str], images: set[str], **cluster: Any) -> None:
        self.cluster = FakeCluster(claims, images, **cluster)
        self._server = _Server(self.cluster)
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="fake-kube-apiserver", daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    @property
    def unhandled(self) -> list[tuple[str, str]]:
        return self._server.unhandled

    @property
    def requests(self) -> list[tuple[str, str]]:
        return self._server.requests

    def api_client(self) -> client.ApiClient:
        return client.ApiClient(client.Configuration(host=self.url))

    def objects(
        self, kind: str, labels: Mapping[str, str] | None = None, namespace: str = "default"
    ) -> list[Obj]:
        """The objects of `kind` stored now, optionally only those carrying `labels`."""
        return self.cluster.store.find(kind, namespace, labels)

    def __enter__(self) -> FakeKubernetes:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self.cluster.stop()
