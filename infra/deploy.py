"""`make deploy ENV=dev|prod`: sam deploy with the city's settings, then the web client.

1. The settings: samconfig.toml's `[<env>.deploy.parameters]` (tracked: what every city shares),
   then samconfig.local.toml's (untracked: the city's own values; samconfig.local.toml.example
   shows it). `parameter_overrides` of both are merged, the local file's winning; any other key of
   the local file replaces the tracked one. So `git pull` never conflicts with a city's settings.
2. sam deploy of the built template with them.
3. With the stack hosting the web client (output WebBucketName): web/ is uploaded as it is, except
   config.js, which is generated: its keys are read from web/config.js now (whatever keys it has
   then), each value from the stack's outputs (apiBaseUrl, portalName, staffPhone) or from the
   local file's `[<env>.web_config]` table, which wins. A key with neither stops the upload: no
   tracked file's value (another city's name) is ever published. Files no longer in web/ are
   removed, and CloudFront is told to fetch everything again.

Runs in the SAM CLI's venv (boto3 and the CLI). `--outputs FILE` writes the stack's outputs as JSON.
"""

from __future__ import annotations

import argparse
import json
import mimetypes
import re
import shlex
import subprocess
import sys
import time
import tomllib
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TRACKED = ROOT / "samconfig.toml"
LOCAL = ROOT / "samconfig.local.toml"
WEB = ROOT / "web"

# config.js keys the stack itself knows, from its outputs.
FROM_OUTPUTS = {
    "apiBaseUrl": lambda outputs: outputs["ApiUrl"],
    "cityName": lambda outputs: outputs["CityName"],
    "portalName": lambda outputs: f"{outputs['CityName']} eTRAKIT",
    "staffPhone": lambda outputs: outputs["StaffPhoneNumber"],
    "passkeyRpId": lambda outputs: outputs.get("PasskeyRpId", ""),
}
_CONFIG_KEY = re.compile(r"^\s*([A-Za-z_$][\w$]*)\s*:", re.MULTILINE)


class DeployError(Exception):
    """What stops a deploy, in words."""


def _overrides(text: str) -> dict[str, str]:
    return dict(pair.split("=", 1) for pair in shlex.split(text))


def deploy_settings(environment: str, tracked: Path = TRACKED, local: Path = LOCAL) -> dict[str, Any]:
    """The environment's `deploy.parameters`, the local file's over the tracked file's."""
    with tracked.open("rb") as file:
        settings: dict[str, Any] = dict(tomllib.load(file)[environment]["deploy"]["parameters"])
    if not local.is_file():
        raise DeployError(f"{local.name} is missing: copy samconfig.local.toml.example and fill in the city's values")
    with local.open("rb") as file:
        ours = tomllib.load(file).get(environment, {}).get("deploy", {}).get("parameters", {})
    parameters = {
        **_overrides(settings.get("parameter_overrides", "")),
        **_overrides(ours.get("parameter_overrides", "")),
    }
    settings.update({key: value for key, value in ours.items() if key != "parameter_overrides"})
    settings["parameter_overrides"] = parameters
    return settings


def web_config_values(environment: str, local: Path = LOCAL) -> dict[str, Any]:
    if not local.is_file():
        return {}
    with local.open("rb") as file:
        values: dict[str, Any] = tomllib.load(file).get(environment, {}).get("web_config", {})
    return values


def sam_deploy_command(sam: str, template: str, settings: Mapping[str, Any], extra: list[str]) -> list[str]:
    command = [sam, "deploy", "--template-file", template, "--stack-name", settings["stack_name"]]
    command += ["--capabilities", *str(settings.get("capabilities", "CAPABILITY_IAM")).split()]
    if "--s3-bucket" not in extra:
        command += ["--resolve-s3"] if settings.get("resolve_s3", True) else []
    command += ["--s3-prefix", settings.get("s3_prefix", settings["stack_name"])]
    command += ["--no-fail-on-empty-changeset"]
    if "--no-confirm-changeset" not in extra:
        command += ["--confirm-changeset"] if settings.get("confirm_changeset") else ["--no-confirm-changeset"]
    parameters = settings["parameter_overrides"]
    if parameters:
        command += ["--parameter-overrides", *(f"{name}={value}" for name, value in parameters.items())]
    if settings.get("tags"):
        command += ["--tags", *shlex.split(settings["tags"])]
    return command + extra


def config_keys(config_js: str) -> list[str]:
    """The keys of `window.PORTAL_CONFIG = { ... }` in web/config.js, in order."""
    start = config_js.find("PORTAL_CONFIG")
    body = config_js[config_js.index("{", start) : config_js.rindex("}")]
    body = re.sub(r"//[^\n]*", "", body)
    return list(dict.fromkeys(_CONFIG_KEY.findall(body)))


def config_js(keys: list[str], outputs: Mapping[str, str], values: Mapping[str, Any]) -> str:
    config: dict[str, Any] = {}
    missing = []
    for key in keys:
        if key in values:
            config[key] = values[key]
        elif key in FROM_OUTPUTS:
            config[key] = FROM_OUTPUTS[key](outputs)
        else:
            missing.append(key)
    if missing:
        raise DeployError(
            f"web/config.js has keys the stack does not know: {', '.join(missing)}. "
            "Give their values under [<env>.web_config] in samconfig.local.toml"
        )
    return (
        "// Generated by `make deploy` from the stack's outputs and samconfig.local.toml; not the tracked file.\n"
        f"window.PORTAL_CONFIG = {json.dumps(config, indent=2)};\n"
    )


def upload_web(
    s3: Any, cloudfront: Any, bucket: str, distribution: str, generated_config: str, web: Path = WEB
) -> list[str]:
    """Upload web/ with the generated config.js; remove what web/ no longer has; invalidate."""
    uploaded = []
    for path in sorted(p for p in web.rglob("*") if p.is_file()):
        key = path.relative_to(web).as_posix()
        body = generated_config.encode() if key == "config.js" else path.read_bytes()
        content_type = mimetypes.guess_type(key)[0] or "application/octet-stream"
        if key.endswith((".js", ".html", ".css")):
            content_type += "; charset=utf-8"
        cache = "no-store" if key == "config.js" else "max-age=300"
        s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType=content_type, CacheControl=cache)
        uploaded.append(key)
    listed = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket)
    stale = [item["Key"] for page in listed for item in page.get("Contents", []) if item["Key"] not in uploaded]
    for key in stale:
        s3.delete_object(Bucket=bucket, Key=key)
    cloudfront.create_invalidation(
        DistributionId=distribution,
        InvalidationBatch={"Paths": {"Quantity": 1, "Items": ["/*"]}, "CallerReference": str(time.time_ns())},
    )
    return uploaded


def stack_outputs(cloudformation: Any, stack_name: str) -> dict[str, str]:
    (stack,) = cloudformation.describe_stacks(StackName=stack_name)["Stacks"]
    return {output["OutputKey"]: output["OutputValue"] for output in stack.get("Outputs", [])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--env", required=True, choices=["dev", "prod"])
    parser.add_argument("--sam", required=True)
    parser.add_argument("--template", required=True)
    parser.add_argument("--outputs", type=Path, help="write the stack's outputs here as JSON")
    arguments, extra = parser.parse_known_args()
    import boto3  # the SAM CLI's venv has it

    try:
        settings = deploy_settings(arguments.env)
        # Before anything changes: a config.js key nobody gives a value for stops here.
        keys = config_keys((WEB / "config.js").read_text(encoding="utf-8"))
        config_js(keys, defaultdict(str), web_config_values(arguments.env))
        subprocess.run(sam_deploy_command(arguments.sam, arguments.template, settings, extra), check=True)  # noqa: S603
        outputs = stack_outputs(boto3.client("cloudformation"), settings["stack_name"])
        if arguments.outputs:
            arguments.outputs.parent.mkdir(parents=True, exist_ok=True)
            arguments.outputs.write_text(json.dumps(outputs, indent=2), encoding="utf-8")
        if "WebBucketName" in outputs:
            generated = config_js(keys, outputs, web_config_values(arguments.env))
            uploaded = upload_web(
                boto3.client("s3"),
                boto3.client("cloudfront"),
                outputs["WebBucketName"],
                outputs["WebDistributionId"],
                generated,
            )
            print(f"web client: {len(uploaded)} files to {outputs['WebBucketName']}, live at {outputs['WebUrl']}")
        else:
            print("HostWebClient is false: put web/ on the city's host with this config.js:")
            print(config_js(keys, outputs, web_config_values(arguments.env)))
    except (DeployError, subprocess.CalledProcessError) as error:
        raise SystemExit(f"deploy stopped: {error}") from None


if __name__ == "__main__":
    sys.exit(main())
