"""Tests of the local portal itself, on the tiny template and functions under fixtures/."""

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"

# EchoFunction's variables with Greeting=hello: Globals' merged with its own, Refs and Subs resolved.
ECHO_ENVIRONMENT = {
    "TABLE_NAME": "ItemsTable",
    "GREETING": "hello",
    "COLOUR": "blue",
    "REGION_AND_TABLE": "us-west-2/ItemsTable",
    "SHARED": "from-function",
    "ONLY_ECHO": "yes",
}
