"""The HTML report of a run directory: self-contained, complete, and alive in a real browser
(headless Chromium from Debian's packages, driven with selenium)."""

from __future__ import annotations

import base64
import html
import json
import re
import shutil
import struct
from pathlib import Path

import numpy as np
import pytest

from align import DecodingSettings, Pipeline
from align.errors import UserError
from align.records import MANIFEST
from align.report import render_report
from align.report.html import colour, pieces
from tests.conftest import SEED

ARTICLE = SEED / "article.ar.txt"
REFERENCE = SEED / "reference.en.txt"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
WINDOW = (1280, 2000)


@pytest.fixture(scope="module")
def run_dir(tiny_model, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report-runs") / "seed"
    pipeline = Pipeline(
        str(tiny_model),
        settings=DecodingSettings(max_new_tokens=6),
        aligner_options={"threshold": 0.0},
        align_method="attention",
        on_warning=lambda message: None,
    )
    pipeline.run(ARTICLE, ref=REFERENCE, out=out)
    return out


@pytest.fixture(scope="module")
def rows(run_dir) -> list[dict]:
    text = (run_dir / "segments.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


@pytest.fixture(scope="module")
def report(run_dir, tmp_path_factory) -> tuple[Path, str]:
    path = render_report(run_dir, tmp_path_factory.mktemp("report") / "report.html")
    return path, path.read_text(encoding="utf-8")


def text_of(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def arabic_blocks(page: str) -> dict[int, str]:
    found = re.findall(
        r'id="seg-(\d+)".*?<div class="ar" dir="rtl" lang="ar">(.*?)</div>', page, flags=re.S
    )
    return {int(i): block for i, block in found}


# ---------------------------------------------------------------------------- the file


def test_report_is_self_contained(report):
    path, page = report
    assert path.name == "report.html"
    assert page.startswith("<!DOCTYPE html>")
    assert "http://" not in page and "https://" not in page
    assert not re.search(r"<link\b", page, flags=re.I)
    assert not re.search(r"<script\b[^>]*\bsrc\s*=", page, flags=re.I)
    assert not re.search(r"@import|url\(|@font-face", page)
    for target in re.findall(r'\b(?:src|href)\s*=\s*"([^"]*)"', page):
        assert target.startswith("#"), target  # only links within the page
    assert "<style>" in page and "<script>" in page and "<svg" in page


def test_report_shows_every_segment_side_by_side(report, rows):
    _, page = report
    blocks = arabic_blocks(page)
    assert sorted(blocks) == [r["index"] for r in rows]  # boilerplate included
    for row in rows:
        assert text_of(blocks[row["index"]]) == row["source"]
        if row["translated"]:
            assert html.escape(row["hypothesis"]) in page
            assert html.escape(row["reference"]) in page
    assert page.count('dir="rtl" lang="ar"') >= len(rows)
    assert page.count('class="en" dir="ltr"') == len(rows)
    assert "not translated (boilerplate)" in page


def test_report_marks_aligned_span_pairs_on_both_sides(report, rows):
    _, page = report
    src = re.findall(r'class="sp src" data-pairs="([^"]+)"', page)
    tgt = re.findall(r'class="sp tgt" data-pairs="([^"]+)"', page)
    assert src and tgt
    src_pairs = {p for v in src for p in v.split()}
    tgt_pairs = {p for v in tgt for p in v.split()}
    assert src_pairs == tgt_pairs
    expected = sum(len(r["alignment"]["spans"]) for r in rows if r["translated"])
    assert len(src_pairs) == expected
    # a source span's text is the article's text between its offsets
    article = ARTICLE.read_text(encoding="utf-8")
    k, row = next((k, r) for k, r in enumerate(rows) if r["translated"] and r["alignment"]["spans"])
    span = row["alignment"]["spans"][0]
    pair = f"s{k}p0"
    pieces_of_pair = re.findall(
        rf'class="sp src" data-pairs="[^"]*\b{pair}\b[^"]*"[^>]*>([^<]*)</span>', page
    )
    assert "".join(html.unescape(p) for p in pieces_of_pair) == article[slice(*span["src"])]


def test_report_shows_scores_signatures_warnings_and_plot(report, run_dir, rows):
    _, page = report
    scores = json.loads((run_dir / "scores.json").read_text())
    for entry in scores["corpus"].values():
        assert html.escape(entry["signature"]) in page
        assert html.escape(entry["text"]) in page
    for signature in scores["sentence_signatures"].values():
        assert html.escape(signature) in page
    assert "Fixture model." in page and 'role="alert"' in page
    assert "is a fixture model with random weights" in page
    plot = re.search(r"<svg.*?</svg>", page, flags=re.S).group(0)
    assert "<polyline" in plot
    assert plot.count("<circle") == sum(r["translated"] for r in rows)
    # per-segment chrF colour scale
    first = next(r for r in rows if r["translated"])
    assert colour(first["scores"]["chrf"]) in page
    assert colour(0) != colour(100) != colour(None)


def test_report_escapes_text_and_flags_edited_runs(run_dir, tmp_path):
    copy = tmp_path / "run"
    shutil.copytree(run_dir, copy)
    lines = (copy / "segments.jsonl").read_text(encoding="utf-8").splitlines()
    row = json.loads(lines[0])
    row["hypothesis"] = '<script>alert("x")</script> & <b>bold</b>'
    lines[0] = json.dumps(row, ensure_ascii=False)
    (copy / "segments.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    # a document reference with unmatched segments on both sides
    scores = json.loads((copy / "scores.json").read_text())
    scores["document_alignment"] = {
        "method": "chrf", "hypothesis_segments": 54, "reference_sentences": 55,
        "mean_similarity": 0.4, "unrelated_similarity": 0.1, "corresponds": True,
        "unmatched_hypothesis": [2], "unmatched_reference": [7], "notes": ["1 hypothesis ..."],
    }  # fmt: skip
    (copy / "scores.json").write_text(json.dumps(scores))
    refs = [f"Reference sentence number {k}." for k in range(55)]
    (copy / "docalign.json").write_text(json.dumps({"reference_texts": refs}))

    page = render_report(copy, tmp_path / "out" / "r.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "<b>bold" not in page
    hyp = re.search(r'id="seg-0".*?<div class="hyp">(.*?)</div>', page, flags=re.S).group(1)
    assert "&lt;script&gt;" in hyp and "&amp;" in hyp
    assert text_of(hyp) == row["hypothesis"]
    assert page.count("<script>") == 1  # ours
    assert "no longer match the hashes in its manifest" in page
    assert "Segments with no reference: 1" in page
    assert 'href="#seg-2"' in page and '<span class="flag">no reference</span>' in page
    assert "Reference sentences that match no segment: 1" in page
    assert "Reference sentence number 7." in page


@pytest.mark.parametrize("case", ["missing", "file", "empty", "no-segments", "schema", "bad-json"])
def test_invalid_run_dir_is_a_user_error(run_dir, tmp_path, case):
    bad = tmp_path / "bad"
    if case == "file":
        bad.write_text("x")
    elif case != "missing":
        bad.mkdir()
    if case in ("no-segments", "schema", "bad-json"):
        shutil.copy(run_dir / MANIFEST, bad / MANIFEST)
        if case != "no-segments":
            shutil.copy(run_dir / "segments.jsonl", bad / "segments.jsonl")
    if case == "schema":
        manifest = json.loads((bad / MANIFEST).read_text())
        manifest["schema_version"] = 999
        (bad / MANIFEST).write_text(json.dumps(manifest))
    if case == "bad-json":
        (bad / "segments.jsonl").write_text('{"index": 0}\nnot json\n')
    out = tmp_path / "report.html"
    with pytest.raises(UserError) as info:
        render_report(bad, out)
    assert str(bad) in str(info.value)
    assert "\n" not in str(info.value)
    assert not out.exists()


def test_pieces_split_at_every_boundary_of_nested_and_overlapping_spans():
    text = "abcdefghij"
    spans = [(1, 6, "A"), (3, 5, "B"), (4, 8, "C"), (9, 20, "D"), (5, 5, "E"), (-3, 1, "F")]
    assert pieces(text, spans) == [
        ("a", ["F"]), ("bc", ["A"]), ("d", ["A", "B"]), ("e", ["A", "B", "C"]),
        ("f", ["A", "C"]), ("gh", ["C"]), ("i", []), ("j", ["D"]),
    ]  # fmt: skip
    assert pieces("", [(0, 3, "A")]) == []
    assert pieces("xy", []) == [("xy", [])]


COMPARE = {
    "baseline": "base",
    "systems": ["base", "new<sys>"],
    "segments": 54,
    "signatures": {"bleu": "SIG-BLEU", "chrf": "SIG-CHRF", "ter": "SIG-TER"},
    "table": [
        {"system": "base", "bleu": {"score": 20.0, "mean": 20.1, "ci": 1.5, "p_bs": None,
                                    "p_ar": None, "significant": None},
         "chrf": {"score": 50.0, "mean": 50.2, "ci": 1.1}, "ter": {"score": 70.0}},
        {"system": "new<sys>", "bleu": {"score": 25.5, "mean": np.float32(25.4),
                                        "ci": np.float32(1.7), "p_bs": 0.001, "p_ar": 0.002,
                                        "significant": np.bool_(True)},
         "chrf": {"score": 50.3, "mean": 50.1, "ci": 1.2, "p_bs": 0.4, "p_ar": 0.41,
                  "significant": False}},
    ],
    "buckets": {
        "length": [{"bucket": "1-10", "count": 3, "chrf": {"base": 40.0, "new<sys>": 42.5}}],
        "role": [{"bucket": "caption", "count": 2, "chrf": {"base": 30.0}}],
    },
    "differ_most": [{"index": 7, "reference": "The ref", "hyps": {"base": "A", "new<sys>": "B"},
                     "chrf": {"base": 10.0, "new<sys>": 90.0}, "difference": 80.0}],
    "ngrams": {"other": "new<sys>", "better": [{"ngram": "the cat", "baseline": 3, "other": 1}],
               "worse": [{"ngram": "a dog", "baseline": 0, "other": 2}]},
    "lowest": [{"index": [4, 5], "system": "base", "chrf": 1.5, "hypothesis": "xx",
                "reference": "yy"}],
}  # fmt: skip


def test_report_renders_comparison_tables(run_dir, tmp_path):
    page = render_report(run_dir, tmp_path / "c.html", compare=COMPARE).read_text()
    section = re.search(r'<section id="compare">.*?</section>', page, flags=re.S).group(0)
    assert section.count("<table") == 8  # facts, scores, 2 buckets, differ, 2 n-grams, lowest
    assert "new&lt;sys&gt;" in section and "new<sys>" not in section
    for sig in ("SIG-BLEU", "SIG-CHRF", "SIG-TER"):
        assert sig in section
    # significant: bold and dagger; not significant: neither
    assert re.search(r"<strong>25\.50 .*?± 1\.70.*?0\.0010.*?†</strong>", section, re.S)
    assert "50.30" in section and not re.search(r"<strong>50\.30", section)
    assert "(baseline)" in section and "± 1.50" in section
    assert "By length" in section and "By role" in section and "42.50" in section
    assert "the cat" in section and "a dog" in section and "The ref" in section
    assert "80.00" in section and "Lowest-scoring segments" in section
    assert '<td class="num">4, 5</td>' in section  # a bead's segments


@pytest.mark.parametrize(
    "compare",
    [{}, {"baseline": "a"}, {"table": [{"system": "a"}, "junk"], "buckets": {"length": None}},
     {"table": [{"system": "a", "bleu": 12.3, "chrf": {"score": None}}], "ngrams": {}}],
)  # fmt: skip
def test_report_survives_partial_comparisons(run_dir, tmp_path, compare):
    page = render_report(run_dir, tmp_path / "p.html", compare=compare).read_text()
    assert "</html>" in page


# ---------------------------------------------------------------------------- the browser


@pytest.fixture(scope="module")
def browser():
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.is_file()]
    if missing:
        pytest.fail(
            f"the report's browser tests need Debian's chromium and chromedriver; missing: "
            f"{', '.join(missing)} (apt-get install chromium chromium-driver)"
        )
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.options import Options
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.fail("the report's browser tests need selenium (pip install -e '.[dev]')")
    options = Options()
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu",
                     f"--window-size={WINDOW[0]},{WINDOW[1]}"):  # fmt: skip
        options.add_argument(argument)
    options.binary_location = str(CHROMIUM)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    yield driver
    driver.quit()


@pytest.fixture
def page(browser, report):
    browser.get(report[0].resolve().as_uri())
    return browser


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert png[12:16] == b"IHDR"
    return struct.unpack(">II", png[16:24])


# Decode the screenshot in the browser itself (no imaging library here): draw it on a canvas
# and count its colours, its non-white pixels and the pixels of the fixture banner's red.
PIXELS_JS = """
const done = arguments[arguments.length - 1];
const img = new Image();
img.onload = () => {
  const c = document.createElement('canvas');
  c.width = img.width; c.height = img.height;
  const g = c.getContext('2d');
  g.drawImage(img, 0, 0);
  const d = g.getImageData(0, 0, c.width, c.height).data;
  const colours = new Set();
  let ink = 0, red = 0;
  for (let i = 0; i < d.length; i += 4) {
    colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    if (d[i] < 240 || d[i + 1] < 240 || d[i + 2] < 240) ink++;
    const near = (v, w) => Math.abs(v - w) < 8;
    if (near(d[i], 179) && near(d[i + 1], 38) && near(d[i + 2], 30)) red++;
  }
  done([c.width, c.height, colours.size, ink / (c.width * c.height), red]);
};
img.onerror = () => done(null);
img.src = 'data:image/png;base64,' + arguments[0];
"""


def test_screenshot_renders_the_report(page, tmp_path):
    shot = tmp_path / "report.png"
    assert page.save_screenshot(str(shot))
    png = shot.read_bytes()
    width, height = png_size(png)
    inner = page.execute_script("return [innerWidth, innerHeight, devicePixelRatio]")
    assert (width, height) == (round(inner[0] * inner[2]), round(inner[1] * inner[2]))
    assert width == WINDOW[0] and WINDOW[1] // 2 < height <= WINDOW[1]
    assert len(png) > 30_000  # a blank page of this size compresses to a few kB
    decoded = page.execute_async_script(PIXELS_JS, base64.b64encode(png).decode("ascii"))
    assert decoded is not None, "Chromium could not decode its own screenshot"
    assert decoded[:2] == [width, height]
    colours, ink, red = decoded[2:]
    assert colours > 50, f"only {colours} colours: the page looks blank"
    assert ink > 0.05, f"only {ink:.1%} of the pixels are not white"
    assert red > 5_000, "the fixture banner is not visible at the top"
    # the Arabic column is laid out right to left
    direction = page.execute_script(
        "return getComputedStyle(document.querySelector('.seg:not(.head) .ar')).direction"
    )
    assert direction == "rtl"


SPANS_JS = """
return Array.from(document.querySelectorAll(arguments[0]),
                  e => [e.classList.contains('src') ? 'src' : 'tgt', e.getAttribute('data-pairs')]);
"""


def highlighted(driver) -> list[list[str]]:
    """(side, pairs) of every lit span."""
    return sorted(driver.execute_script(SPANS_JS, ".sp.hl"))


def expected_for(driver, element) -> list[list[str]]:
    """(side, pairs) of every span that shares a pair with ``element``."""
    pairs = set(element.get_attribute("data-pairs").split())
    return sorted(e for e in driver.execute_script(SPANS_JS, ".sp") if pairs & set(e[1].split()))


def test_hover_highlights_the_aligned_span_on_the_other_side(page):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    assert highlighted(page) == []
    sources = page.find_elements(By.CSS_SELECTOR, ".ar .sp.src")
    assert len(sources) > 5
    for element in (sources[0], sources[5]):
        page.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        ActionChains(page).move_to_element(element).perform()
        lit = highlighted(page)
        assert lit == expected_for(page, element)
        assert any(side == "tgt" for side, _ in lit), "no English span lit up"
        assert len(lit) < len(page.find_elements(By.CSS_SELECTOR, ".sp"))  # other pairs stay off
    # away from every span: nothing stays lit
    ActionChains(page).move_to_element(page.find_element(By.TAG_NAME, "h1")).perform()
    page.execute_script("window.scrollTo(0, 0)")
    ActionChains(page).move_to_element(page.find_element(By.TAG_NAME, "h1")).perform()
    assert highlighted(page) == []
    # and from the English side back to the Arabic
    target = page.find_elements(By.CSS_SELECTOR, ".en .sp.tgt")[3]
    page.execute_script("arguments[0].scrollIntoView({block: 'center'})", target)
    ActionChains(page).move_to_element(target).perform()
    lit = highlighted(page)
    assert lit == expected_for(page, target)
    assert any(side == "src" for side, _ in lit)


def test_focus_highlights_and_blur_clears(page):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    sources = page.find_elements(By.CSS_SELECTOR, ".ar .sp.src")
    element = sources[2]
    page.execute_script("arguments[0].focus()", element)
    assert page.switch_to.active_element == element
    assert highlighted(page) == expected_for(page, element)
    # Tab moves the focus, and the highlight with it, to the next span in document order
    element.send_keys(Keys.TAB)
    focused = page.switch_to.active_element
    assert focused != element and "sp" in focused.get_attribute("class").split()
    assert highlighted(page) == expected_for(page, focused)
    page.execute_script("document.activeElement.blur()")
    assert highlighted(page) == []
