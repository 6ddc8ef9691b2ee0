"""The browser a notice and the account's activity name, from a fixed vocabulary (contract v3):
a browser family and an operating system family, e.g. "Chrome on Android". The User-Agent
header is read by a maintained parser (``ua-parser``, uap-core's rules), and only its families
that are in the lists below are ever named, so no text of the header (which anyone can set)
reaches an email or a page. ``ua_parser`` is imported here, lazily: only the notice function and
the activity's views call ``describe``, so no other request pays for its import."""

from functools import lru_cache
from typing import Final

# uap-core's browser families -> the name shown.
BROWSERS: Final = {
    "Chrome": "Chrome",
    "Chrome Mobile": "Chrome",
    "Chrome Mobile iOS": "Chrome",
    "Chrome Mobile WebView": "Chrome",
    "Chromium": "Chromium",
    "HeadlessChrome": "Chrome",
    "Edge": "Edge",
    "Edge Mobile": "Edge",
    "Firefox": "Firefox",
    "Firefox Mobile": "Firefox",
    "Firefox iOS": "Firefox",
    "Safari": "Safari",
    "Mobile Safari": "Safari",
    "Mobile Safari UI/WKWebView": "Safari",
    "Opera": "Opera",
    "Opera Mobile": "Opera",
    "Samsung Internet": "Samsung Internet",
    "Brave": "Brave",
    "Vivaldi": "Vivaldi",
    "DuckDuckGo Mobile": "DuckDuckGo",
}
# uap-core's operating system families -> the name shown.
SYSTEMS: Final = {
    "Windows": "Windows",
    "Mac OS X": "macOS",
    "iOS": "iOS",
    "Android": "Android",
    "Linux": "Linux",
    "Ubuntu": "Linux",
    "Fedora": "Linux",
    "Chrome OS": "ChromeOS",
    "ChromeOS": "ChromeOS",
}
UNKNOWN_BROWSER: Final = "A browser"
UNKNOWN_SYSTEM: Final = "an unknown system"


@lru_cache(maxsize=256)
def describe(user_agent: str | None) -> str | None:
    """ "Chrome on Android", "Safari on iOS", "A browser on Windows", "Firefox on an unknown
    system"...; None without a User-Agent (a staff action, a job)."""
    if not user_agent:
        return None
    from ua_parser import parse_os, parse_user_agent

    browser, system = parse_user_agent(user_agent), parse_os(user_agent)
    name = BROWSERS.get(browser.family if browser else "", UNKNOWN_BROWSER)
    return f"{name} on {SYSTEMS.get(system.family if system else '', UNKNOWN_SYSTEM)}"
