"""infra/deploy.py: the city's settings merge over the tracked ones, config.js is made from the
stack's outputs with the keys web/config.js has, and the upload under moto."""

import sys
from collections import defaultdict
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "infra"))
import deploy  # noqa: E402

OUTPUTS = {
    "ApiUrl": "https://api.permits.example.gov/v1",
    "CityName": "City of Testville",
    "StaffPhoneNumber": "(555) 555-0100",
}


def test_the_example_local_settings_merge_over_the_tracked_ones(tmp_path: Path) -> None:
    settings = deploy.deploy_settings("prod", ROOT / "samconfig.toml", ROOT / "samconfig.local.toml.example")
    parameters = settings["parameter_overrides"]
    assert parameters["CityName"] == "City of West Hollywood"  # the quotes of a TOML literal string work
    assert parameters["EnableWaf"] == "true"  # the tracked value stays
    assert settings["stack_name"] == "contractor-accounts-prod"
    command = deploy.sam_deploy_command("sam", "t.yaml", settings, ["--no-confirm-changeset"])
    assert "CityName=City of West Hollywood" in command
    assert "--confirm-changeset" not in command
    with pytest.raises(deploy.DeployError, match=r"samconfig\.local\.toml"):
        deploy.deploy_settings("prod", ROOT / "samconfig.toml", tmp_path / "missing.toml")


def test_config_js_has_the_keys_of_web_config_js_with_the_stacks_values() -> None:
    keys = deploy.config_keys((ROOT / "web" / "config.js").read_text(encoding="utf-8"))
    assert {"apiBaseUrl", "portalName", "staffPhone"} <= set(keys)
    # The city's own words (samconfig.local.toml's web_config) for what the stack cannot know
    city_words = {"department": "Building Department", "permitsAfter": "January 1st, 2015"}
    generated = deploy.config_js(keys, OUTPUTS, city_words)
    assert '"apiBaseUrl": "https://api.permits.example.gov/v1"' in generated
    assert '"permitsAfter": "January 1st, 2015"' in generated
    assert "West Hollywood" not in generated  # never the tracked file's city
    # A key the stack does not know needs a value from the city, else nothing is deployed
    with pytest.raises(deploy.DeployError, match="loginNotice"):
        deploy.config_js([*keys, "loginNotice"], defaultdict(str), {})
    with_notice = deploy.config_js([*keys, "loginNotice"], OUTPUTS, {**city_words, "loginNotice": "Hi"})
    assert '"loginNotice": "Hi"' in with_notice


def test_the_upload_replaces_config_js_removes_stale_files_and_invalidates(tmp_path: Path) -> None:
    web = tmp_path / "web"
    web.mkdir()
    (web / "index.html").write_text("<html></html>")
    (web / "config.js").write_text("window.PORTAL_CONFIG = { apiBaseUrl: 'http://127.0.0.1:3000' };")
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="site")
        s3.put_object(Bucket="site", Key="old.js", Body=b"x")
        cloudfront = boto3.client("cloudfront", region_name="us-east-1")
        distribution = cloudfront.create_distribution(
            DistributionConfig={
                "CallerReference": "r", "Comment": "", "Enabled": True,
                "Origins": {"Quantity": 1, "Items": [{"Id": "o", "DomainName": "site.s3.amazonaws.com",
                                                       "S3OriginConfig": {"OriginAccessIdentity": ""}}]},
                "DefaultCacheBehavior": {"TargetOriginId": "o", "ViewerProtocolPolicy": "redirect-to-https"},
            }
        )["Distribution"]["Id"]  # fmt: skip
        uploaded = deploy.upload_web(s3, cloudfront, "site", distribution, "GENERATED", web)
        assert uploaded == ["config.js", "index.html"]
        assert s3.get_object(Bucket="site", Key="config.js")["Body"].read() == b"GENERATED"
        assert s3.get_object(Bucket="site", Key="config.js")["CacheControl"] == "no-store"
        assert [o["Key"] for o in s3.list_objects_v2(Bucket="site")["Contents"]] == ["config.js", "index.html"]
        assert cloudfront.list_invalidations(DistributionId=distribution)["InvalidationList"]["Quantity"] == 1
