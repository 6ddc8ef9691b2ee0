"""The whole local portal in this process: moto, the API, the invoke endpoint, the web client."""

from __future__ import annotations

import errno
import threading
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from local_portal.api_gateway import ApiGateway
from local_portal.aws import MotoServer, client, create_resources
from local_portal.buckets import BucketEvents
from local_portal.invoke_api import InvokeApi
from local_portal.lambda_runtime import FunctionPool, LogSink, stderr_log_sink
from local_portal.outbox import OutboxEntry
from local_portal.parameters import local_parameters
from local_portal.queues import QueuePollers
from local_portal.roles import function_roles, local_account
from local_portal.streams import StreamPollers
from local_portal.template import DEFAULT_TEMPLATE, REPO_ROOT, SamTemplate, load_template
from local_portal.web import WebClient

DEFAULT_WEB_DIR = REPO_ROOT / "web"
DEFAULT_AWS_PORT = 5000


@dataclass
class StackOptions:
    host: str = "127.0.0.1"
    api_port: int = 3000
    invoke_port: int = 3001
    web_port: int = 8080
    # None: moto on 5000, or on a free port when 5000 is taken.
    aws_port: int | None = None
    template_path: Path = DEFAULT_TEMPLATE
    web_dir: Path = DEFAULT_WEB_DIR
    parameters: Mapping[str, str] = field(default_factory=dict)
    stage: str = "v1"
    # Start every function's worker at boot instead of on its first invoke.
    warm: bool = False


def _request_handler(source: str, log: LogSink) -> type[WSGIRequestHandler]:
    class Handler(WSGIRequestHandler):
        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            log(source, f'{self.address_string()} "{self.requestline}" {code!s}')

        def log_error(self, format: str, *args: Any) -> None:
            log(source, format % args)

    return Handler


class _HttpServer:
    """A threaded werkzeug server bound now (so port 0 is resolved early) and served later."""

    def __init__(self, source: str, host: str, port: int, log: LogSink) -> None:
        self.host = host
        self.server: BaseWSGIServer = make_server(
            host, port, _not_ready, threaded=True, request_handler=_request_handler(source, log)
        )
        self.thread = threading.Thread(target=self.server.serve_forever, name=f"{source}-server", daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.server.server_port}"

    def serve(self, app: Callable[..., Any]) -> None:
        self.server.app = app
        self.thread.start()

    def stop(self) -> None:
        if self.thread.is_alive():
            self.server.shutdown()
            self.thread.join(timeout=5)
        self.server.server_close()


def _not_ready(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
    return [b"starting\n"]


class LocalPortal:
    """Start with start(), stop with stop(); stop() leaves no process behind."""

    def __init__(self, options: StackOptions | None = None, log: LogSink | None = None) -> None:
        self.options = options or StackOptions()
        self.log = log or stderr_log_sink()
        self.moto: MotoServer | None = None
        self.servers: dict[str, _HttpServer] = {}
        self.functions: FunctionPool | None = None
        self.pollers: QueuePollers | None = None
        self.bucket_events: BucketEvents | None = None
        self.stream_pollers: StreamPollers | None = None
        self.template: SamTemplate | None = None
        self.aws_endpoint = ""

    # -- lifecycle -------------------------------------------------------------------------------

    def start(self) -> None:
        try:
            self._start()
        except BaseException:
            self.stop()
            raise

    def _start(self) -> None:
        options = self.options
        self.moto = self._start_moto()
        self.aws_endpoint = self.moto.endpoint
        # A fresh account for this portal, even if moto already ran in this process.
        reset = urllib.request.Request(f"{self.aws_endpoint}/moto-api/reset", method="POST")  # noqa: S310
        urllib.request.urlopen(reset, timeout=10).close()  # noqa: S310 - our own http endpoint

        for name, port in (
            ("api", options.api_port),
            ("invoke", options.invoke_port),
            ("web", options.web_port),
        ):
            self.servers[name] = _HttpServer(name, options.host, port, self.log)
        web_port = self.servers["web"].server.server_port
        origins = (f"http://localhost:{web_port}", f"http://127.0.0.1:{web_port}")
        parameters = {**local_parameters(origins), **options.parameters}
        self.template = load_template(options.template_path, parameters)
        functions = self.template.functions  # resolve now: a template error stops the start

        # Each function's calls are held to its own role, as in AWS (local_portal/iam.py).
        roles = function_roles(self.template)
        create_resources(self.template, self.aws_endpoint)
        self.functions = FunctionPool(functions, self.aws_endpoint, self.log, roles, local_account(self.template))
        self.pollers = QueuePollers(self.template, self.functions, client("sqs", self.aws_endpoint), self.log)
        self.pollers.start()
        self.bucket_events = BucketEvents(self.template, self.functions, client("s3", self.aws_endpoint), self.log)
        self.bucket_events.start()
        self.stream_pollers = StreamPollers(
            self.template,
            self.functions,
            client("dynamodb", self.aws_endpoint),
            client("dynamodbstreams", self.aws_endpoint),
            self.log,
        )
        self.stream_pollers.start()
        self.servers["api"].serve(ApiGateway(self.template, self.functions, options.stage))
        self.servers["invoke"].serve(InvokeApi(self.functions))
        api_port = self.servers["api"].server.server_port
        # The pages show the city's name and phone from the same parameters the functions get.
        city, phone = self.template.parameters.get("CityName"), self.template.parameters.get("StaffPhoneNumber")
        branding = {"cityName": city, "portalName": f"{city} eTRAKIT"} if city else {}
        branding.update({"staffPhone": phone} if phone else {})
        branding["passkeyRpId"] = self.template.parameters.get("PasskeyRpId", "")
        self.servers["web"].serve(WebClient(options.web_dir, api_port, options.host, self.outbox, branding))
        if options.warm:
            self.functions.warm()

    def _start_moto(self) -> MotoServer:
        port = self.options.aws_port
        try:
            return _started_moto(self.options.host, DEFAULT_AWS_PORT if port is None else port)
        except OSError as exc:
            if port is not None or exc.errno != errno.EADDRINUSE:
                raise
            return _started_moto(self.options.host, 0)

    def stop(self) -> None:
        # Stop taking requests, then stop the functions, then the AWS emulator.
        for server in self.servers.values():
            server.stop()
        if self.pollers is not None:
            self.pollers.stop()
            self.pollers = None
        if self.bucket_events is not None:
            self.bucket_events.stop()
            self.bucket_events = None
        if self.stream_pollers is not None:
            self.stream_pollers.stop()
            self.stream_pollers = None
        if self.functions is not None:
            self.functions.stop()
        if self.moto is not None:
            self.moto.stop()
            self.moto = None

    # -- what the stack offers -------------------------------------------------------------------

    @property
    def api_url(self) -> str:
        return self.servers["api"].url

    @property
    def invoke_url(self) -> str:
        return self.servers["invoke"].url

    @property
    def web_url(self) -> str:
        """The web client at localhost (contract v3: passkeys' RP ID; WebAuthn refuses IP addresses),
        which reaches the loopback address it listens on; 127.0.0.1 serves it too, without passkeys."""
        server = self.servers["web"]
        if server.host == "127.0.0.1":
            return f"http://localhost:{server.server.server_port}"
        return server.url

    def outbox(self) -> list[OutboxEntry]:
        return self.moto.recorder.outbox() if self.moto is not None else []

    def urls(self) -> dict[str, str]:
        return {
            "api_url": self.api_url,
            "invoke_url": self.invoke_url,
            "web_url": self.web_url,
            "outbox_url": f"{self.web_url}/outbox",
            "outbox_json_url": f"{self.web_url}/outbox.json",
            "aws_endpoint": self.aws_endpoint,
            "moto_data_url": f"{self.aws_endpoint}/moto-api/data.json",
        }

    def banner(self) -> str:
        assert self.template is not None
        urls = self.urls()
        routes = sorted(
            (event.path, event.method.upper(), spec.logical_id)
            for spec in self.template.functions.values()
            for event in spec.api_events
        )
        lines = [
            "",
            "Local portal is up (Ctrl-C stops it)",
            f"  API              {urls['api_url']}",
            f"  Lambda invoke    {urls['invoke_url']}  (aws lambda invoke --endpoint-url {urls['invoke_url']} "
            "--function-name <LogicalId> ...)",
            f"  Web client       {urls['web_url']}",
            f"  Outbox           {urls['outbox_url']}  ({urls['outbox_json_url']})",
            f"  AWS endpoint     {urls['aws_endpoint']}  (AWS_ENDPOINT_URL for boto3 / aws cli)",
            f"  moto state       {urls['moto_data_url']}",
            "  Functions        " + ", ".join(sorted(self.template.functions)),
            "  Routes",
            *(f"    {method:7} {path:30} -> {function}" for path, method, function in routes),
            "  Queues",
            *(f"    {source.queue:38} -> {source.function}" for source in self.template.sqs_sources),
            *(f"    {source.table + ' stream':38} -> {source.function}" for source in self.template.stream_sources),
            "  Uploads",
            *(
                f"    s3://{self.template.physical_name(source.bucket)}/ ({source.bucket}) -> {source.function}"
                for source in self.template.bucket_sources
            ),
            "",
        ]
        return "\n".join(lines)


def _started_moto(host: str, port: int) -> MotoServer:
    moto = MotoServer(host, port)
    moto.start()
    if moto.error is not None:
        moto.stop()
        raise moto.error
    return moto
