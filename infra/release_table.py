"""`make release-table` (release time): write the table's definition as this release's.

    python infra/release_table.py infra/template.yaml infra/released-table.json

tests/adoption/test_upgrades.py compares the template's table with this file: CloudFormation
creates or deletes at most one global secondary index per table update, so a release may change
the set of indexes by one. The file is in the repository (CI may clone without tags).
"""

import json
import sys
from pathlib import Path

from cfnlint.decode import decode


def table_definition(template: Path) -> dict[str, object]:
    parsed, problems = decode(str(template))
    if problems or parsed is None:
        raise SystemExit(f"{template}: {problems}")
    table = parsed["Resources"]["ContractorsTable"]["Properties"]
    return {
        "KeySchema": table["KeySchema"],
        "GlobalSecondaryIndexes": sorted(index["IndexName"] for index in table.get("GlobalSecondaryIndexes", [])),
    }


def main() -> None:
    template, released = Path(sys.argv[1]), Path(sys.argv[2])
    version = next(
        line.split('"')[1] for line in Path("pyproject.toml").read_text().splitlines() if line.startswith("version")
    )
    released.write_text(json.dumps({"version": version, **table_definition(template)}, indent=2) + "\n")
    print(f"{released}: the table of release {version}")


if __name__ == "__main__":
    main()
