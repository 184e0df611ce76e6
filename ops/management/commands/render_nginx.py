"""Write the nginx configuration from deploy/nginx/ with this deployment's values.

The body limit comes from MAX_UPLOAD_BYTES_PER_REQUEST and the static folder from
STATIC_ROOT, so nginx and Django cannot disagree about them. `make serve` runs it with
`--serve` (also the main nginx.conf, all paths under var/serve/nginx); on a server:

    python manage.py render_nginx --out /etc/nginx/conf.d --server-name woonrust.example.nl \\
        --cert /etc/ssl/woonrust/fullchain.pem --key /etc/ssl/woonrust/privkey.pem \\
        --https-port 443 --http-port 80 --listen 0.0.0.0
"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

PLACEHOLDER = re.compile(r"@[A-Z_]+@")
TEMPLATES = Path(settings.BASE_DIR) / "deploy" / "nginx"


def render(template: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        template = template.replace(f"@{name}@", value)
    code = "\n".join(line for line in template.splitlines() if not line.lstrip().startswith("#"))
    missing = sorted(set(PLACEHOLDER.findall(code)))
    if missing:
        raise ValueError(f"unfilled placeholders: {missing}")
    return template


class Command(BaseCommand):
    help = "Write deploy/nginx/woonrust.conf (and with --serve nginx.conf) filled in."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, help="Folder to write the files to.")
        parser.add_argument("--serve", action="store_true", help="Also the main nginx.conf.")
        parser.add_argument("--server-name", default="localhost 127.0.0.1")
        parser.add_argument("--listen", default="127.0.0.1")
        parser.add_argument("--https-port", default="8443")
        parser.add_argument("--public-https-port", default="", help="Default: --https-port.")
        parser.add_argument("--http-port", default="8080")
        parser.add_argument("--app", default="127.0.0.1:8001", help="gunicorn's address.")
        parser.add_argument(
            "--uploads",
            default="",
            help="The photo uploads' gunicorn (deploy/Procfile.serve `uploads`). Default: --app.",
        )
        parser.add_argument("--cert", required=True)
        parser.add_argument("--key", required=True)
        parser.add_argument("--access-log", default="", help="Default: <out>/access.log.")

    def handle(self, *args, **options) -> None:
        out = Path(options["out"]).resolve()
        out.mkdir(parents=True, exist_ok=True)
        values = {
            "APP_ADDRESS": options["app"],
            "UPLOADS_ADDRESS": options["uploads"] or options["app"],
            "LISTEN_HOST": options["listen"],
            "HTTP_PORT": options["http_port"],
            "HTTPS_PORT": options["https_port"],
            "PUBLIC_HTTPS_PORT": options["public_https_port"] or options["https_port"],
            "SERVER_NAME": options["server_name"],
            "TLS_CERT": str(Path(options["cert"]).resolve()),
            "TLS_KEY": str(Path(options["key"]).resolve()),
            "MAX_BODY_BYTES": str(settings.MAX_UPLOAD_BYTES_PER_REQUEST),
            "STATIC_ROOT": str(Path(settings.STATIC_ROOT).resolve()),
            "ACCESS_LOG": options["access_log"] or str(out / "access.log"),
            "SERVE_DIR": str(out.parent),
        }
        site = render((TEMPLATES / "woonrust.conf").read_text(), values)
        (out / "woonrust.conf").write_text(site)
        written = ["woonrust.conf"]
        if options["serve"]:
            for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
                (out / "tmp" / sub).mkdir(parents=True, exist_ok=True)
            main = render((TEMPLATES / "serve.conf").read_text(), values)
            (out / "nginx.conf").write_text(main)
            written.append("nginx.conf")
        self.stdout.write(f"Wrote {', '.join(written)} to {out}")
