"""Print the CloudFormation template SAM makes of ours, offline: `sam_translate.py TEMPLATE [PARAMETERS_JSON]`.

Runs in the SAM CLI's venv (.sam-venv), with the translator the CLI itself deploys with: its
pydantic pin clashes with ours, so the tests call it as a subprocess. No AWS call is made: CodeUri
is set as `sam package` leaves it, the region comes from a stand-in session, and the managed-policy
map is empty (every policy in the template is an inline statement, so it is never consulted).
"""

import json
import sys
from pathlib import Path

from samtranslator.parser.parser import Parser
from samtranslator.translator.translator import Translator
from samtranslator.yaml_helper import yaml_parse


class OfflineSession:
    """What the translator asks of a boto3 session: the region, for ARNs and pseudo parameters."""

    region_name = "us-west-2"

    def get_partition_for_region(self, region: str) -> str:
        return "aws"


def main() -> None:
    template = yaml_parse(Path(sys.argv[1]).read_text(encoding="utf-8"))
    parameters = json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
    template["Globals"]["Function"]["CodeUri"] = "s3://artifacts/functions.zip"
    translator = Translator(managed_policy_map={}, sam_parser=Parser(), boto_session=OfflineSession())
    translated = translator.translate(template, parameter_values=parameters, get_managed_policy_map=dict)
    json.dump(translated, sys.stdout, indent=1, default=str)


if __name__ == "__main__":
    main()
