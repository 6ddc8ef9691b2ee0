"""`python -m local_portal` (`make run`): the whole product locally, until Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from local_portal.stack import DEFAULT_WEB_DIR, LocalPortal, StackOptions
from local_portal.template import DEFAULT_TEMPLATE


def _parameter(text: str) -> tuple[str, str]:
    name, separator, value = text.partition("=")
    if not separator or not name:
        raise argparse.ArgumentTypeError(f"expected Name=Value, got {text!r}")
    return name, value


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m local_portal",
        description="Run the SAM template's API, functions, AWS (moto) and the web client locally.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address every server listens on")
    parser.add_argument("--api-port", type=int, default=3000, help="the API (0: a free port)")
    parser.add_argument("--invoke-port", type=int, default=3001, help="the Lambda invoke endpoint (0: free)")
    parser.add_argument("--web-port", type=int, default=8080, help="the web client and outbox (0: free)")
    parser.add_argument("--aws-port", type=int, default=None, help="moto (default 5000, else a free port)")
    parser.add_argument("--template", type=Path, default=DEFAULT_TEMPLATE, help="the SAM template")
    parser.add_argument("--web-dir", type=Path, default=DEFAULT_WEB_DIR, help="the web client's files")
    parser.add_argument(
        "--parameter-overrides",
        nargs="*",
        type=_parameter,
        default=[],
        metavar="Name=Value",
        help="template Parameters, as with sam --parameter-overrides",
    )
    parser.add_argument("--warm", action="store_true", help="start every function at boot (no cold start)")
    # For local_portal.running(): where to write the URLs once ready, and stop when stdin closes
    # (the parent went away, even if it could not stop us).
    parser.add_argument("--ready-file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--stop-on-stdin-eof", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    if args.stop_on_stdin_eof:

        def watch_stdin() -> None:
            # The raw descriptor, not sys.stdin's buffer: a daemon thread blocked inside a
            # BufferedReader aborts the interpreter at shutdown ("could not acquire lock").
            descriptor = sys.stdin.fileno()
            while os.read(descriptor, 4096):
                pass
            stop.set()

        threading.Thread(target=watch_stdin, daemon=True).start()

    stack = LocalPortal(
        StackOptions(
            host=args.host,
            api_port=args.api_port,
            invoke_port=args.invoke_port,
            web_port=args.web_port,
            aws_port=args.aws_port,
            template_path=args.template,
            web_dir=args.web_dir,
            parameters=dict(args.parameter_overrides),
            warm=args.warm,
        )
    )
    try:
        stack.start()
    except OSError as exc:
        print(f"local_portal: cannot start: {exc}", file=sys.stderr)
        return 1
    try:
        print(stack.banner(), flush=True)
        if args.ready_file:
            temporary = args.ready_file.with_suffix(".tmp")
            temporary.write_text(json.dumps({**stack.urls(), "pid": os.getpid()}))
            temporary.replace(args.ready_file)  # atomic: the reader never sees half a file
        while not stop.wait(timeout=1.0):
            pass
    finally:
        print("Stopping the local portal...", file=sys.stderr, flush=True)
        stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
