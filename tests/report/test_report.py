"""Tests of algoattr.report: structure of the HTML, manifest, CLI, and a real browser."""

from __future__ import annotations

import hashlib
import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from algoattr.report import build_fit_report, build_index, build_seed_report
from tests.report.synthetic import make_fit

FIT_SECTIONS = ("header", "data", "fit", "attribution", "other", "caveats", "reproduce")
SEED_SECTIONS = (
    "header",
    "threshold",
    "ceg",
    "montecarlo",
    "reconciliation",
    "retraining",
    "reproduce",
)


class Page(HTMLParser):
    """Collects what the structural checks need from an HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.images: list[dict[str, str | None]] = []
        self.links: list[dict[str, str | None]] = []
        self.tags: list[str] = []
        self.stack: list[str] = []
        self.text: list[str] = []
        self.scripts: list[dict[str, str | None]] = []
        self.svgs: list[dict[str, str | None]] = []
        self._in_script = False
        self._in_svg = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "img":
            self.images.append(a)
        if tag == "script":
            self.scripts.append({**a, "text": ""})
            self._in_script = True
        if tag == "svg":
            if not self._in_svg:
                self.svgs.append(a)
            self._in_svg += 1
        if "href" in a or "src" in a:
            self.links.append({"tag": tag, **a})

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False
        if tag == "svg":
            self._in_svg -= 1

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1]["text"] += data
        elif not self._in_svg:  # hover labels are checked on the figures themselves
            self.text.append(data)


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def external(url: str | None) -> bool:
    return (bool(url) and url.split(":", 1)[0].lower() in ("http", "https", "ftp")) or (
        url or ""
    ).startswith("//")


#: A 1×1 PNG: the fast structural tests draw every figure but skip rasterising it (the
#: rendering is tested in tests/test_plots.py, the slow tests and the browser test).
TINY_PNG = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQ"
    "DwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def _lm_report(out: Path, render: bool):
    import algoattr.plots

    fit = make_fit("language_modelling", benchmark="ptb", draws=60, ok=False)
    with pytest.MonkeyPatch.context() as mp:
        if not render:
            mp.setattr(algoattr.plots, "to_data_uri", lambda fig, **kw: TINY_PNG)
        path = build_fit_report(fit, out, "ptb", attribution_draws=60)
    return fit, path


@pytest.fixture(scope="module")
def lm_report(tmp_path_factory):
    return _lm_report(tmp_path_factory.mktemp("lm"), render=False)


@pytest.fixture(scope="module")
def rendered_report(tmp_path_factory):
    return _lm_report(tmp_path_factory.mktemp("lm_rendered"), render=True)


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("seed")
    return build_seed_report(out, mc_draws=2000)


def check_structure(path: Path, sections) -> Page:
    page = parse(path)
    assert page.tags[0] == "html"
    for s in sections:
        assert s in page.ids, f"section {s!r} missing"
    assert page.images, "no figures"
    for img in page.images:
        assert (img.get("alt") or "").strip(), f"image without alt text: {img.get('src', '')[:60]}"
        assert img["src"].startswith("data:image/"), "figures must be inline"
    for svg in page.svgs:
        assert svg.get("role") == "img" and (svg.get("aria-label") or "").strip()
    for link in page.links:
        for attr in ("src", "href"):
            url = link.get(attr)
            if external(url):
                assert link["tag"] == "a" and "cite" in (link.get("class") or "").split(), (
                    f"external address outside a citation link: {url}"
                )
    assert "link" not in page.tags and "iframe" not in page.tags
    # One script, the package's own, inline (no src): it sorts the row tables.
    from algoattr.report.builder import sort_script

    assert len(page.scripts) <= 1
    for script in page.scripts:
        assert "src" not in script and script["text"].strip() == sort_script().strip()
    return page


def test_fit_report_structure(lm_report):
    fit, path = lm_report
    page = check_structure(path, FIT_SECTIONS)
    text = " ".join(page.text)
    assert "DIAGNOSTICS FAILED" in text
    for w in fit.diagnostics.warnings:
        assert w in text
    assert fit.extras["dataset_checksum"] in text
    assert fit.extras["command"] in text
    assert "8.4 months [4.5, 14.3]" in text
    assert "PSIS-LOO" in text and "param_only" in text
    # exclusions listed with reasons
    assert "beyond the 3 best rows of its paper on this benchmark" in text
    # figures: data (2), fit (4), attribution (2), threshold (2); the scatter plots inline
    assert len(page.images) + len(page.svgs) >= 10
    assert len(page.svgs) == 4


@pytest.mark.slow
def test_fit_report_passing_badge(tmp_path):
    fit = make_fit("image_classification", draws=40, ok=True)
    path = build_fit_report(fit, tmp_path, "imagenet", attribution_draws=40)
    page = check_structure(path, FIT_SECTIONS)
    text = " ".join(page.text)
    assert "diagnostics passed" in text and "DIAGNOSTICS FAILED" not in text


def test_manifest(lm_report):
    fit, path = lm_report
    man = json.loads(path.with_name("ptb.manifest.json").read_text())
    assert man["kind"] == "fit" and man["report"] == "ptb.html"
    assert man["diagnostics"]["ok"] is False
    assert man["seed"] == fit.settings.seed
    for entry in man["inputs"] + man["outputs"]:
        assert not entry["path"].startswith("/") and ":" not in entry["path"]
        assert len(entry["sha256"]) == 64
    inputs = {Path(e["path"]).name for e in man["inputs"]}
    assert {"ptb.csv", "benchmarks.yaml", "reference_pairs.yaml"} <= inputs
    report = next(e for e in man["outputs"] if e["path"] == "ptb.html")
    assert report["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert {"python", "algoattr", "pymc", "arviz"} <= set(man["versions"])


def test_seed_report_and_index(seed_report):
    page = check_structure(seed_report, SEED_SECTIONS)
    text = " ".join(page.text)
    assert "Gundlach et al. 2025 extrapolation 2012–2023" in text
    assert "Training a GPT-3-level model today" in text
    # every committed retraining ladder: its README title, frontier figure and fit table
    ladders = sorted(
        f.parent for f in Path("datasets/retraining").glob("*/fits.csv") if f.is_file()
    )
    assert ladders
    alts = [img.get("alt") or "" for img in page.images]
    for folder in ladders:
        title = next(
            line[2:].strip()
            for line in (folder / "README.md").read_text().splitlines()
            if line.startswith("# ")
        )
        assert title in text
        assert any(folder.name in a and "validation loss" in a for a in alts), folder.name
    # the calibration line of a ladder that has one sits beside its tables
    settings = [f / "fit.json" for f in ladders if (f / "fit.json").is_file()]
    calibrated = [f for f in settings if json.loads(f.read_text()).get("calibration")]
    assert calibrated and "observational Transformer CEG" in text
    man = json.loads(seed_report.with_name("seed_analyses.manifest.json").read_text())
    inputs = {e["path"] for e in man["inputs"]}
    assert any(p.endswith(f"{ladders[0].name}/fits.csv") for p in inputs)
    index = build_index(seed_report.parent)
    ipage = parse(index)
    hrefs = [link.get("href") for link in ipage.links if link["tag"] == "a"]
    assert "seed_analyses.html" in hrefs
    assert not any(external(h) for h in hrefs)


@pytest.fixture
def stub_builders(monkeypatch):
    """Replace the report builders of the CLI by stubs that record their calls."""
    import algoattr.cli.report as cli

    calls: dict[str, list] = {"fit": [], "seed": [], "index": []}

    def fit_report(fit, out, stem, **kwargs):
        calls["fit"].append((fit, Path(out), stem, kwargs))
        return Path(out) / f"{stem}.html"

    monkeypatch.setattr(cli, "build_fit_report", fit_report)
    monkeypatch.setattr(
        cli, "build_seed_report", lambda out, **kw: calls["seed"].append(kw) or Path(out)
    )
    monkeypatch.setattr(cli, "build_index", lambda out: calls["index"].append(out) or Path(out))
    return calls


def test_cli_fit(tmp_path, stub_builders, monkeypatch):
    from algoattr.model.results import FitResult
    from algoattr.report.__main__ import main

    fit = make_fit("language_modelling", benchmark="ptb", draws=10)
    monkeypatch.setattr(FitResult, "load", classmethod(lambda cls, p: fit))
    (tmp_path / "ptb_summary.json").write_text("{}")
    assert main(["--fit", str(tmp_path / "ptb_summary.json"), "--index"]) == 0
    ((got, out, stem, _),) = stub_builders["fit"]
    assert got is fit and out == tmp_path and stem == "ptb"
    assert stub_builders["index"] and not stub_builders["seed"]
    assert main(["--fit", str(tmp_path / "missing_summary.json")]) == 2
    assert main([]) == 2


def test_cli_all_reuses_saved_fits(tmp_path, stub_builders):
    from algoattr.report.__main__ import ALL_BENCHMARKS, main

    fit = make_fit("language_modelling", benchmark="ptb", draws=10)
    calls = []

    def loader(**kwargs):
        calls.append(kwargs)
        return fit

    (tmp_path / "ptb_summary.json").write_text("{}")
    assert main(["--all", "--out", str(tmp_path), "--mc-draws", "100"], loader=loader) == 0
    by_bench = {c["benchmark"]: c for c in calls}
    assert set(by_bench) == set(ALL_BENCHMARKS)
    assert by_bench["ptb"]["path"] == tmp_path / "ptb_summary.json"
    assert by_bench["wikitext"]["path"] is None and by_bench["wikitext"]["fast"] is True
    assert [s for _, _, s, _ in stub_builders["fit"]] == list(ALL_BENCHMARKS)
    assert stub_builders["seed"][0]["mc_draws"] == 100 and stub_builders["index"]


@pytest.mark.slow
def test_report_from_a_real_fit(tmp_path):
    """A tiny real fit (nutpie, 2 x 50 draws) through the fit CLI, which writes the report."""
    from algoattr.fit import main

    status = main(
        [
            "--benchmark",
            "ptb",
            "--fast",
            "--draws",
            "50",
            "--tune",
            "100",
            "--quiet",
            "--out",
            str(tmp_path),
        ]
    )
    assert status == 0
    check_structure(tmp_path / "ptb.html", FIT_SECTIONS)
    man = json.loads((tmp_path / "ptb.manifest.json").read_text())
    names = {Path(e["path"]).name for e in man["inputs"]}
    assert {"ptb_summary.json", "ptb_posterior.nc", "ptb.csv"} <= names
    # Every fit carries its row-influence and rule-sensitivity tables, in files and report.
    influence = pd.read_csv(tmp_path / "ptb_influence.csv")
    assert {"where", "shift_months", "pareto_k", "estimator_shift_months"} <= set(influence)
    sens = pd.read_csv(tmp_path / "ptb_sensitivity.csv")
    assert {"default", "ho2024", "from 2011", "Student-t"} <= set(sens["alternative"])
    text = " ".join(parse(tmp_path / "ptb.html").text)
    assert "Sensitivity to single rows" in text and "Sensitivity to the selection rules" in text
    # The doubling time has no mean: the ArviZ table shows the rate, not the ratio.
    assert "doubling_time_months" not in text.split("Posterior summary (ArviZ")[1][:3000]


# ------------------------------------------------------------------------------ browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync"
).split()


@pytest.fixture
def browser(tmp_path):
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.skip("headless Chromium and chromedriver are not installed")
    pytest.importorskip("selenium")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'profile'}")
    options.binary_location = CHROMIUM
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_window_size(1280, 1000)
    yield driver
    driver.quit()


@pytest.mark.browser
def test_report_in_browser(rendered_report, browser, tmp_path):
    import numpy as np
    from PIL import Image

    _, path = rendered_report
    browser.get(path.resolve().as_uri())
    assert browser.title.startswith("algoattr report")
    errors = [e for e in browser.get_log("browser") if e.get("level") in ("SEVERE", "ERROR")]
    assert not errors, errors
    broken = browser.execute_script(
        "return Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0).length"
    )
    assert broken == 0
    for y in (0, 2500):
        browser.execute_script(f"window.scrollTo(0, {y})")
        shot = tmp_path / f"shot_{y}.png"
        assert browser.save_screenshot(str(shot))
        pixels = np.asarray(Image.open(shot).convert("RGB")).reshape(-1, 3)
        assert len(np.unique(pixels, axis=0)) > 10, "screenshot is blank"
