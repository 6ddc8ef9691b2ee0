"""Put the state board's license file (CSLB's license master list, CSV) into the license bucket:
its upload starts the import (LicenseDataFunction). Streams the file (a multipart upload for a
large one), so a 78 MB file never sits in memory.

    python -m staff_tools.load_license_file MasterLicenseData.csv --bucket <LicenseDataBucketName>
    python -m staff_tools.load_license_file events/cslb-sample.csv --endpoint-url http://127.0.0.1:5000  # local

The key is ``incoming/<today>.csv`` unless ``--key`` says otherwise (files under incoming/ expire
after 30 days; any ``.csv`` key imports). Locally the bucket is ``license-data`` and any
credentials work; deployed, the stack's output ``LicenseDataBucketName`` names it.
"""

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

import boto3

LOCAL_BUCKET = "license-data"


def s3_client(endpoint_url: str | None) -> Any:
    if endpoint_url:  # the local portal's moto: any credentials, its region
        return boto3.client(
            "s3",
            endpoint_url=endpoint_url,
            region_name="us-west-2",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
    return boto3.client("s3")


def load(path: Path, bucket: str, key: str, endpoint_url: str | None = None) -> str:
    """Uploads ``path`` to s3://bucket/key; returns the version S3 gave it."""
    s3 = s3_client(endpoint_url)
    with path.open("rb") as body:
        s3.upload_fileobj(body, bucket, key, ExtraArgs={"ContentType": "text/csv"})
    return str(s3.head_object(Bucket=bucket, Key=key).get("VersionId"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", type=Path, help="the license file (CSV in CSLB's columns)")
    parser.add_argument(
        "--bucket", default=LOCAL_BUCKET, help="the stack's LicenseDataBucketName (local: license-data)"
    )
    parser.add_argument("--key", help="the object key (default incoming/<today>.csv)")
    parser.add_argument("--endpoint-url", help="the local AWS endpoint, e.g. http://127.0.0.1:5000")
    args = parser.parse_args(argv)
    key = args.key or f"incoming/{date.today().isoformat()}.csv"
    if not key.endswith(".csv") or key.startswith("import-state/"):
        parser.error("the key must end in .csv and be outside import-state/ (the import's own state)")
    version = load(args.file, args.bucket, key, args.endpoint_url)
    print(f"put s3://{args.bucket}/{key} (version {version}): the import starts from its upload event")
    return 0


if __name__ == "__main__":
    sys.exit(main())
