"""The README's picture of a report: the seed article aligned with its human translation
(given with --hyp, so no model is needed and the links are real), rendered by `report` and
photographed in headless Chromium.

    scripts/screenshot_report.py docs/report.png      # what `make screenshot` runs
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpus" / "seed-article"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
WINDOW = (1280, 900)


def screenshot(out: Path, window: tuple[int, int] = WINDOW) -> Path:
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    from align import AlignmentSettings, Pipeline
    from align.report.html import render_report

    with tempfile.TemporaryDirectory() as tmp:
        run_dir = Path(tmp) / "run"
        pipeline = Pipeline(None, alignment=AlignmentSettings(), on_warning=lambda m: None)
        pipeline.run(SEED / "article.ar.txt", hyp=SEED / "reference.en.txt", out=run_dir)
        page = render_report(run_dir, Path(tmp) / "report.html")
        options = Options()
        size = f"--window-size={window[0]},{window[1]}"
        for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", size):
            options.add_argument(argument)
        options.binary_location = str(CHROMIUM)
        driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
        try:
            driver.get(page.resolve().as_uri())
            # The article, scrolled to its first segments, with one aligned piece hovered so
            # that the picture shows a span pair lit on both sides.
            from selenium.webdriver.common.action_chains import ActionChains
            from selenium.webdriver.common.by import By

            segments = driver.find_element(By.CLASS_NAME, "segments")
            driver.execute_script("arguments[0].scrollIntoView(true);", segments)
            pieces = driver.find_elements(By.CSS_SELECTOR, ".view.tr .sp")
            if len(pieces) > 8:
                ActionChains(driver).move_to_element(pieces[8]).perform()
            out.parent.mkdir(parents=True, exist_ok=True)
            if not driver.save_screenshot(str(out)):
                raise SystemExit(f"Chromium could not save a screenshot to {out}")
        finally:
            driver.quit()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="the PNG file to write")
    args = parser.parse_args(argv)
    print(f"wrote {screenshot(args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
