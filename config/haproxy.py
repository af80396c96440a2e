"""The load balancer's configuration (HAProxy 2.6, Debian's `haproxy` package), written from the
list of app servers: `python -m config.haproxy --app 10.0.0.11 --app 10.0.0.12 > haproxy.cfg`.
The bench (`make bench`, one app server) and the drill (`make drill`, two) run exactly what this
writes; docs/deploy.md shows it for two app servers (tests/test_deploy.py keeps them equal).

Each app server runs two gunicorn pools (config/gunicorn.conf.py): the pages pool and the PDF
pool. PDFs, exports and sheet previews go to the PDF pools, everything else to the pages pools;
a server that refuses a connection is taken out at once (one that stops answering checks within
two seconds) and the request that could not connect is sent to another server (`retries`,
`option redispatch`). Requests are never re-sent
once a server has them: a write is not done twice."""

import argparse
from dataclasses import dataclass

PAGES_PORT = 8001
PDF_PORT = 8002


@dataclass(frozen=True)
class AppServer:
    name: str
    pages: str  # host:port of its pages pool
    pdf: str  # host:port of its PDF pool
    pages_workers: int = 3
    pdf_workers: int = 2


# Checked every second, out after two failed checks — or at once when a request could not connect
# to it (observe layer4): the retry then goes to another server (leastconn alone would pick the
# dead one again, it has the fewest connections); back after two good checks.
SERVER_CHECKS = "inter 1s fall 2 rise 2 observe layer4 error-limit 1 on-error mark-down"


# Paths that render a PDF or a spreadsheet: sheet and binder PDFs, sheet previews (they lay the
# sheet out to choose its type size), the guide and logic-model PDFs, CSV/Excel exports.
HEAVY_PATHS = r"(\.pdf|\.xlsx|\.csv|/pdf/)$|^/programs/[^/]+/sheets/"


def config(
    servers: list[AppServer],
    *,
    bind: str = ":80",
    tls_certificate: str | None = None,
    stats_bind: str | None = None,
    log: str = "stdout format raw local0",
) -> str:
    tls = f" ssl crt {tls_certificate}" if tls_certificate else ""
    lines = [
        "global",
        f"    log {log}",
        "    maxconn 2000",
        "",
        "defaults",
        "    mode http",
        "    log global",
        "    option httplog",
        "    option forwardfor",
        "    timeout connect 2s",
        "    timeout client 60s",
        "    timeout server 120s",  # the PDF pool's gunicorn timeout
        "    timeout queue 60s",
        "    timeout check 5s",
        "    retries 3",
        "    option redispatch 1",
        "",
        "frontend shigoto",
        f"    bind {bind}{tls}",
        "    http-request set-header X-Forwarded-Proto https if { ssl_fc }",
        "    http-request set-header X-Forwarded-Proto http if !{ ssl_fc }",
        f"    acl heavy path_reg -- {HEAVY_PATHS}",
        "    use_backend pdf if heavy",
        "    default_backend pages",
        "",
        "backend pages",
        "    balance leastconn",
        "    option httpchk GET /healthz",
        "    http-check expect status 200",
        f"    default-server {SERVER_CHECKS}",
    ]
    # maxconn = the pool's workers: HAProxy queues the rest and hands each request to the first
    # free worker of any server, instead of leaving it in one gunicorn's backlog.
    lines += [f"    server {s.name} {s.pages} check maxconn {s.pages_workers}" for s in servers]
    lines += ["", "backend pdf", "    balance leastconn", f"    default-server {SERVER_CHECKS}"]
    lines += [f"    server {s.name} {s.pdf} check maxconn {s.pdf_workers}" for s in servers]
    if stats_bind:
        lines += ["", "frontend stats", f"    bind {stats_bind}", "    stats enable", "    stats uri /"]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--app", action="append", required=True, help="an app server's host (repeat)")
    parser.add_argument("--bind", default=":443")
    parser.add_argument("--tls-certificate", default="/etc/haproxy/certs/shigoto.pem")
    args = parser.parse_args()
    servers = [AppServer(f"app{i}", f"{host}:{PAGES_PORT}", f"{host}:{PDF_PORT}") for i, host in enumerate(args.app, 1)]
    print(config(servers, bind=args.bind, tls_certificate=args.tls_certificate), end="")


if __name__ == "__main__":
    main()
