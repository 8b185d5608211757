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

from align.data import data_file
from align.errors import UserError
from align.records import atomic_write_bytes, check_output_file

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
            png = driver.get_screenshot_as_png()
        finally:
            driver.quit()
    atomic_write_bytes(out, png)  # a reader sees the old picture or the whole new one
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="the PNG file to write")
    args = parser.parse_args(argv)
    try:
        # Before Chromium starts: OUT is a file that can be written, outside the seed article
        # the picture is made from and the package data the pipeline reads.
        folders = [("seed article folder", SEED), ("package data folder", str(data_file()))]
        check_output_file(args.out, "OUT", folders=folders)
    except UserError as exc:
        print(f"screenshot_report: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {screenshot(args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
