"""A second city deploys the web client by editing only web/config.js: no page, script or style
holds a word of one city (its name, the portal's name, the staff phone, the division, the date
its records begin). The values come from the shipped config.js, so the test follows a change of
the sample city."""

import re
from pathlib import Path

import pytest

WEB = Path(__file__).resolve().parents[2] / "web"
CONFIG = (WEB / "config.js").read_text(encoding="utf-8")
CITY_WORDS = {
    key: value
    for key, value in re.findall(r'^\s*(\w+):\s*"([^"]+)"', CONFIG, re.MULTILINE)
    if key in {"cityName", "portalName", "staffPhone", "department", "permitsAfter"}
}
# The city's own name without the "City of": "West Hollywood".
PLACE = re.sub(r"^(City|Town|County) of ", "", CITY_WORDS["cityName"])


def test_the_sample_city_is_in_config_js() -> None:
    assert set(CITY_WORDS) == {"cityName", "portalName", "staffPhone", "department", "permitsAfter"}


@pytest.mark.parametrize("page", sorted(path.name for path in WEB.iterdir() if path.name != "config.js"))
def test_no_page_holds_a_word_of_one_city(page: str) -> None:
    text = (WEB / page).read_text(encoding="utf-8")
    held = [word for word in [*CITY_WORDS.values(), PLACE] if word in text]
    assert held == [], f"{page} holds {held}: take it from config.js (data-config) instead"
