"""Run axe-core on built report pages in Debian's Chromium and list the violations.

A developer's check, not a test: it needs what the package does not install — Debian's
`chromium` and `chromium-driver` (`apt-get install chromium chromium-driver`), Selenium
(`pip install selenium`) and a copy of `axe.min.js` (axe-core, MPL-2.0: e.g. from the
`axe-core` npm package or the `axe-playwright-python` wheel).

Usage: python scripts/verifier_accessibilite.py --axe PATH/axe.min.js PAGE.html [PAGE.html …]
Exit code: 0 when no page has a violation, 1 otherwise.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--axe", type=Path, required=True, help="axe.min.js")
    p.add_argument("pages", nargs="+", type=Path)
    args = p.parse_args()

    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    axe = args.axe.read_text(encoding="utf-8")
    options = Options()
    for argument in ("--headless", "--no-sandbox", "--disable-gpu"):
        options.add_argument(argument)
    options.binary_location = "/usr/bin/chromium"
    navigateur = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    navigateur.set_script_timeout(120)
    total = 0
    try:
        for page in args.pages:
            navigateur.get(page.resolve().as_uri())
            navigateur.execute_script(axe)
            r = navigateur.execute_async_script(
                "const fin = arguments[arguments.length - 1]; axe.run(document).then(r => fin(r));"
            )
            total += len(r["violations"])
            print(f"{page} : axe {r['testEngine']['version']}, violations : {len(r['violations'])}")
            for v in r["violations"]:
                print(f"  - {v['id']} ({v['impact']}) : {v['help']} — éléments : {len(v['nodes'])}")
    finally:
        navigateur.quit()
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
