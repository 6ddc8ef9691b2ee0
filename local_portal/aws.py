"""The AWS side: moto in server mode, in this process, and the template's resources in it."""

from __future__ import annotations

from typing import Any

import boto3
from botocore.config import Config
from moto.moto_server.threaded_moto_server import ThreadedMotoServer
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import make_server

from local_portal.events import LOCAL_REGION
from local_portal.outbox import SendRecorder
from local_portal.template import SamTemplate

DUMMY_CREDENTIALS = {
    "aws_access_key_id": "testing",
    "aws_secret_access_key": "testing",
    "aws_session_token": "testing",
}


class _QuietMotoRequestHandler(MotoRequestHandler):
    """moto's request handler without an access-log line per AWS call."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


class MotoServer(ThreadedMotoServer):
    """moto's ThreadedMotoServer, with the outbox's send recorder in front of its app."""

    def __init__(self, host: str, port: int) -> None:
        super().__init__(ip_address=host, port=port, verbose=False)
        self.recorder = SendRecorder(DomainDispatcherApplication(create_backend_app))
        self.error: OSError | None = None

    def _server_entry(self) -> None:
        # As ThreadedMotoServer._server_entry, with the recorder wrapped around the app, and a
        # port already in use reported to start()'s caller instead of leaving it waiting forever.
        try:
            self._server = make_server(
                self._ip_address, self._port, self.recorder, True, request_handler=_QuietMotoRequestHandler
            )
        except OSError as exc:
            self.error = exc
            self._server_ready_event.set()
            return
        self._server_ready_event.set()
        self._server.serve_forever()

    def stop(self) -> None:
        super().stop()
        if self._server is not None:
            self._server.server_close()  # moto's stop() leaves the listening socket open

    @property
    def endpoint(self) -> str:
        host, port = self.get_host_and_port()
        return f"http://{host}:{port}"


def client(service: str, endpoint: str) -> Any:
    return boto3.client(
        service,  # type: ignore[call-overload]
        endpoint_url=endpoint,
        region_name=LOCAL_REGION,
        config=Config(retries={"max_attempts": 2, "mode": "standard"}),
        **DUMMY_CREDENTIALS,
    )


def create_resources(template: SamTemplate, endpoint: str) -> None:
    """The template's tables, SES identities, SQS queues and the buckets whose uploads start a
    function, in a freshly reset moto."""
    dynamodb = client("dynamodb", endpoint)
    for logical_id in template.resources_of_type("AWS::DynamoDB::Table"):
        template.create_table(dynamodb, logical_id)
    template.create_email_resources(client("sesv2", endpoint), client("ses", endpoint))
    template.create_queues(client("sqs", endpoint))
    template.create_buckets(client("s3", endpoint))
