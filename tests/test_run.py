"""The run-directory reader: typed objects back from a run, and one sentence for a damaged,
foreign or unreadable one."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from align import AlignmentSettings, Pipeline, TranslationSettings
from align.records import MANIFEST, sha256_file
from align.run import Run, RunError
from tests.conftest import SEED

ARTICLE = SEED / "article.ar.txt"
REFERENCE = SEED / "reference.en.txt"


@pytest.fixture(scope="module")
def given_run(tmp_path_factory):
    """A run of a given translation (the reference itself): real links, no model."""
    out = tmp_path_factory.mktemp("runs") / "given"
    Pipeline(None, alignment=AlignmentSettings(method="lexical", background=False)).run(
        ARTICLE, ref=REFERENCE, hyp=REFERENCE, out=out
    )
    return out


@pytest.fixture(scope="module")
def document_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("runs") / "document"
    Pipeline(None, alignment=AlignmentSettings(method="lexical", background=False)).run(
        ARTICLE, ref=REFERENCE, hyp=REFERENCE, out=out, ref_layout="document"
    )
    return out


def _copy(run_dir, tmp_path):
    dest = tmp_path / "copy"
    shutil.copytree(run_dir, dest)
    return dest


def _rewrite(run_dir, name, text):
    """Change a file of a run and its hash in the manifest, so that the content (not the
    hash) is what the reader has to judge."""
    (run_dir / name).write_text(text, encoding="utf-8")
    manifest = json.loads((run_dir / MANIFEST).read_text(encoding="utf-8"))
    manifest["files"][name] = sha256_file(run_dir / name)
    (run_dir / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")


def _manifest(run_dir, change):
    manifest = json.loads((run_dir / MANIFEST).read_text(encoding="utf-8"))
    (run_dir / MANIFEST).write_text(json.dumps(change(manifest)), encoding="utf-8")


def _rows(run_dir):
    text = (run_dir / "segments.jsonl").read_text(encoding="utf-8")
    return [json.loads(x) for x in text.splitlines()]


def _jsonl(rows):
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def test_a_run_reads_back_as_objects(given_run):
    run = Run.open(given_run)
    rows = _rows(given_run)
    assert len(run.segments) == len(rows)
    hyp_lines = (given_run / "hyp.txt").read_text(encoding="utf-8").splitlines()
    assert run.hypotheses == hyp_lines
    assert run.references == REFERENCE.read_text(encoding="utf-8").splitlines()
    scores = json.loads((given_run / "scores.json").read_text(encoding="utf-8"))
    assert run.scores.bleu.score == scores["corpus"]["bleu"]["score"]
    assert run.scores.chrf.signature == scores["corpus"]["chrf"]["signature"]
    assert run.scores.as_dict().keys() == {"bleu", "chrf", "ter"}
    linked = 0
    for seg, row in zip(run.segments, rows, strict=True):
        assert seg.source == row["source"] and seg.index == row["index"]
        if not seg.translated:
            assert seg.alignment is None
            continue
        a = seg.alignment
        # Words and units carry their own text, in the segment's own offsets.
        for w in a.src_words + a.src_units:
            assert w.text == seg.source[w.start : w.end] and w.text.strip() == w.text != ""
        for w in a.tgt_words:
            assert w.text == seg.hypothesis[w.start : w.end]
        assert len(a.src_unit_word) == len(a.src_units)
        for (i, j), link in a.word_links().items():
            assert 0 <= i < len(a.src_words) and 0 <= j < len(a.tgt_words)
            assert link.src == i and link.tgt == j
            linked += 1
        for p in a.spans:
            assert 0 <= p.src[0] < p.src[1] <= len(seg.source)
            assert 0 <= p.tgt[0] < p.tgt[1] <= len(seg.hypothesis)
        assert seg.reference_alignment is not None
        assert seg.reference_alignment.target == seg.reference
    assert linked > 100  # the translation is the reference: names, numbers, punctuation link
    assert run.scored_pairs()[0] == ((0,), run.references[0])
    assert run.review is None
    assert run.warnings == tuple(json.loads((given_run / MANIFEST).read_text())["warnings"])


def test_schema_two_stores_document_alignment_and_warnings_once(document_run):
    scores = json.loads((document_run / "scores.json").read_text(encoding="utf-8"))
    assert "document_alignment" not in scores and "warnings" not in scores
    run = Run.open(document_run)
    assert run.schema_version >= 2 and run.reference_layout == "document"
    doc = run.document_alignment
    assert doc is not None and doc.beads and doc.reference_texts
    for indices, ref in run.scored_pairs():
        assert indices and ref
    segs = run.translated
    assert all(s.bead is not None for s in segs)


def test_a_schema_one_run_is_read_with_its_warnings(given_run, tmp_path):
    run_dir = _copy(given_run, tmp_path)
    scores = json.loads((run_dir / "scores.json").read_text(encoding="utf-8"))
    scores["warnings"] = ["an old run kept this warning in scores.json"]
    _rewrite(run_dir, "scores.json", json.dumps(scores))
    _manifest(run_dir, lambda m: {**m, "schema_version": 1})
    run = Run.open(run_dir)
    assert run.schema_version == 1
    assert "an old run kept this warning in scores.json" in run.warnings


def _segments_damage(kind):
    def change(rows):
        if kind == "list":
            rows[1] = list(rows[1].values())
        elif kind == "no-hypothesis":
            del next(r for r in rows if r["translated"])["hypothesis"]
        elif kind == "link-out-of-range":
            row = next(r for r in rows if r["translated"] and r["alignment"]["links"])
            row["alignment"]["links"][0]["tgt"] = 10_000
        elif kind == "offsets":
            row = next(r for r in rows if r["translated"])
            row["alignment"]["tgt_tokens"][0] = [0, 100_000]
        elif kind == "index-string":
            rows[0]["index"] = "0"
        elif kind == "confidence":
            row = next(r for r in rows if r["translated"] and r["alignment"]["links"])
            row["alignment"]["links"][0]["confidence"] = "high"
        return rows

    return change


@pytest.mark.parametrize(
    "kind",
    ["list", "no-hypothesis", "link-out-of-range", "offsets", "index-string", "confidence"],
)
def test_damaged_segments_are_one_sentence_naming_the_file(given_run, tmp_path, kind):
    run_dir = _copy(given_run, tmp_path)
    _rewrite(run_dir, "segments.jsonl", _jsonl(_segments_damage(kind)(_rows(run_dir))))
    with pytest.raises(RunError) as err:
        Run.open(run_dir)
    message = str(err.value)
    assert "segments.jsonl" in message and "\n" not in message


@pytest.mark.parametrize("field", ["hypothesis", "reference", "finding"])
def test_a_lone_surrogate_in_a_record_is_one_sentence(given_run, tmp_path, field):
    # JSON can escape half a character ("\ud800"); no text of a run holds one, and the
    # readers' outputs (an export) could not write it
    run_dir = _copy(given_run, tmp_path)
    rows = _rows(run_dir)
    row = next(r for r in rows if r["translated"])
    if field == "finding":
        finding = {"check": "num\ud800", "kind": "changed", "severity": "error"}
        row["findings"] = [{**finding, "confidence": 1.0, "message": "m", "src": None, "tgt": None}]
    else:
        row[field] = row[field] + " \ud800"
        row["alignment" if field == "hypothesis" else "reference_alignment"] = None
    text = "".join(json.dumps(r) + "\n" for r in rows)  # (ASCII: the escape as JSON has it)
    _rewrite(run_dir, "segments.jsonl", text)
    with pytest.raises(RunError, match="holds a lone surrogate, which no text can"):
        Run.open(run_dir)


def test_only_the_files_the_manifest_lists_are_read(given_run, document_run, tmp_path):
    # a docalign.json copied beside a run of lines would change which pairs are scored
    run_dir = _copy(given_run, tmp_path)
    shutil.copy(document_run / "docalign.json", run_dir / "docalign.json")
    assert Run.open(run_dir).document_alignment is None
    (run_dir / "docalign.json").write_text("{oops")
    assert Run.open(run_dir).document_alignment is None


def test_a_listed_file_that_cannot_be_read_is_one_sentence(given_run, tmp_path, monkeypatch):
    import align.run

    run_dir = _copy(given_run, tmp_path)

    def refuse(path):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(align.run, "sha256_file", refuse)
    with pytest.raises(RunError, match="cannot be read .Permission denied."):
        Run.open(run_dir)
    monkeypatch.undo()
    (run_dir / "scores.json").unlink()
    (run_dir / "scores.json").mkdir()
    with pytest.raises(RunError, match="not a regular file, although manifest.json lists it"):
        Run.open(run_dir)


@pytest.mark.parametrize(
    "manifest, says",
    [
        ([1, 2], "not a run manifest"),
        ("a string", "not a run manifest"),
        ("warnings", "'warnings' is not a list"),
        ("schema", "make the run again"),
        ("files", "not a table of file names"),
        ("foreign", "not a file of a run"),
    ],
)
def test_damaged_manifests_are_one_sentence(given_run, tmp_path, manifest, says):
    run_dir = _copy(given_run, tmp_path)
    if manifest == "warnings":
        _manifest(run_dir, lambda m: {**m, "warnings": 5})
    elif manifest == "schema":
        _manifest(run_dir, lambda m: {**m, "schema_version": 999})
    elif manifest == "files":
        _manifest(run_dir, lambda m: {**m, "files": ["segments.jsonl"]})
    elif manifest == "foreign":
        _manifest(run_dir, lambda m: {**m, "files": {**m["files"], "../etc/passwd": "0"}})
    else:
        (run_dir / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(RunError, match=says) as err:
        Run.open(run_dir)
    assert MANIFEST in str(err.value)


def test_a_file_that_fails_its_hash_is_refused(given_run, tmp_path):
    run_dir = _copy(given_run, tmp_path)
    with open(run_dir / "hyp.txt", "a", encoding="utf-8") as f:
        f.write("one more line\n")
    with pytest.raises(RunError, match=r"hyp\.txt.*changed since the run was written"):
        Run.open(run_dir)
    (run_dir / "hyp.txt").unlink()
    with pytest.raises(RunError, match=r"hyp\.txt.*missing"):
        Run.open(run_dir)


def test_not_a_run_is_one_sentence(tmp_path):
    with pytest.raises(RunError, match="not a run directory"):
        Run.open(tmp_path / "nothing")
    with pytest.raises(RunError, match="no manifest.json"):
        Run.open(tmp_path)


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d["beads"][0].update(hyp=[10_000]),
        lambda d: d["beads"][0].update(ref="0"),
        lambda d: d.update(beads={"a": 1}),
        lambda d: d.update(reference_texts=[1, 2]),
        lambda d: d["beads"][0].update(similarity="high"),
    ],
)
def test_damaged_document_alignment_is_one_sentence(document_run, tmp_path, damage):
    run_dir = _copy(document_run, tmp_path)
    data = json.loads((run_dir / "docalign.json").read_text(encoding="utf-8"))
    damage(data)
    _rewrite(run_dir, "docalign.json", json.dumps(data, ensure_ascii=False))
    with pytest.raises(RunError, match="docalign.json"):
        Run.open(run_dir)


def test_run_is_exported_from_the_package():
    import align

    assert align.Run is Run


def test_the_readme_python_example_runs(tmp_path, monkeypatch, capsys):
    """The Python API example of the README, run as written (no model is needed)."""
    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Python API") :]
    start = section.index("```python\n") + len("```python\n")
    code = section[start : section.index("\n```", start)]
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README.md", "exec"), {"__name__": "readme"})
    said = capsys.readouterr().out
    assert "موسكو → Moscow" in said and "28 → 28" in said and "nrefs:1" in said
    run = Run.open(tmp_path / "runs" / "api-example")
    assert run.manifest["article"]["path"] is None  # given as text: its hash is recorded
    assert run.manifest["translator"]["given"]["hyp_layout"] == "lines"


def test_pipeline_takes_text_documents_and_line_lists(tmp_path):
    from align.errors import InputError, UserError

    text = ARTICLE.read_text(encoding="utf-8")
    refs = REFERENCE.read_text(encoding="utf-8").splitlines()
    pipeline = Pipeline(None, alignment=AlignmentSettings(method="lexical", background=False))
    from_text = pipeline.run(text, ref=refs, hyp=refs)
    document = pipeline.segment(ARTICLE)
    from_doc = pipeline.run(document, ref=REFERENCE, hyp=REFERENCE)
    from_path = pipeline.run(ARTICLE, ref=REFERENCE, hyp=REFERENCE)
    assert [s.source for s in from_text.segments] == [s.source for s in from_path.segments]
    assert from_doc.records == from_path.records
    assert from_text.scores.bleu.score == from_path.scores.bleu.score == pytest.approx(100.0)
    assert from_text.scores.bleu.signature.startswith("nrefs:1")
    # A missing file is reported as missing, not translated as text.
    with pytest.raises(InputError, match="does not exist"):
        pipeline.run(str(tmp_path / "missing.txt"), hyp=refs)
    with pytest.raises(UserError, match="Nothing translates"):
        pipeline.run(text)
    with pytest.raises(UserError, match="lines"):
        pipeline.run(text, hyp=refs[:3])


def test_an_article_text_that_starts_with_a_bom_keeps_offsets_into_the_string(tmp_path):
    """Text read from a file saved with a byte-order mark (``open(f, encoding="utf-8")``)
    keeps it: the BOM is not the article's, but every offset points into the string given."""
    text = "\ufeffقال الوزير إن الاجتماع انتهى.\nوصل الرئيس إلى موسكو.\n"
    hyp = ["The minister said the meeting ended.", "The president arrived in Moscow."]
    pipeline = Pipeline(None, alignment=AlignmentSettings(method="lexical", background=False))
    result = pipeline.run(text, hyp=hyp, out=tmp_path / "run")
    assert pipeline.segment(text).text == text
    for segment, record in zip(result.segments, result.records, strict=True):
        assert text[segment.start : segment.end] == segment.source
        words = [text[s:e] for s, e in record["alignment"]["src_words"]]
        assert words == [w.text for w in segment.alignment.src_words]
    assert result.segments[0].source.startswith("قال")
    without = pipeline.run(text[1:], hyp=hyp)
    assert [s.scores for s in without.segments] == [s.scores for s in result.segments]


def test_a_dictionary_file_in_the_settings_is_read(tmp_path):
    """``AlignmentSettings(dictionary=PATH)`` as documented: the file's pairs link, as with
    ``--dictionary``; a missing file is one sentence."""
    from align.errors import InputError
    from align.links.lexical import Dictionary

    path = tmp_path / "words.dict"
    path.write_text("انتهى\tended\n", encoding="utf-8")
    source, translation = (
        "قال الوزير إن الاجتماع انتهى.\n",
        ["The minister said the meeting ended."],
    )

    def links(dictionary) -> str:
        settings = AlignmentSettings(method="lexical", background=False, dictionary=dictionary)
        return (
            Pipeline(None, alignment=settings)
            .run(source, hyp=translation)
            .segments[0]
            .alignment.alignment.word_pharaoh()
        )

    assert "4-5" not in links(None)
    assert "4-5" in links(path) and links(str(path)) == links(path)
    assert links(Dictionary.read(path)) == links(path)
    with pytest.raises(InputError, match="does not exist"):
        links(tmp_path / "missing.dict")


@pytest.mark.parametrize(
    ("translated", "says"),
    [
        (lambda texts: texts[:1], "returned 1 item(s) for 2 text(s)"),
        (lambda texts: None, "returned a NoneType"),
        (lambda texts: [1 for _ in texts], "one of them a int"),
    ],
)
def test_a_given_translator_that_misbehaves_is_one_sentence(tmp_path, translated, says):
    from align.errors import UserError

    class Translator:
        def translate(self, texts):
            return translated(texts)

    out = tmp_path / "run"
    with pytest.raises(UserError, match=re.escape(says)):
        Pipeline(
            None,
            alignment=AlignmentSettings(method="lexical", background=False),
            translator=Translator(),
        ).run("قال الوزير.\nانتهى الاجتماع.\n", out=out)
    assert not out.exists()  # nothing half-written


@pytest.mark.parametrize(
    ("aligned", "says"),
    [
        (lambda pairs: [], "returned 0 item(s) for 2 pair(s)"),
        (lambda pairs: [None for _ in pairs], "one of them a NoneType"),
    ],
)
def test_a_given_aligner_that_misbehaves_is_one_sentence(aligned, says):
    from align.errors import UserError

    class Aligner:
        method = "mine"

        def align(self, pairs):
            return aligned(pairs)

    with pytest.raises(UserError, match=re.escape(says)):
        Pipeline(None, aligner=Aligner(), alignment=AlignmentSettings(reference=False)).run(
            "قال الوزير.\nانتهى الاجتماع.\n", hyp=["The minister said.", "The meeting ended."]
        )


def test_a_given_aligner_needs_only_align(tmp_path):
    """``align(pairs)`` is all an aligner must have; without a ``method`` it is recorded
    under its class name (the settings' method never stands for it)."""
    from align.links.methods import make_aligner

    class Mine:
        settings = "not a mapping"  # read only when it is one

        def __init__(self):
            self.inner = make_aligner("lexical")

        def align(self, pairs):
            return self.inner.align(pairs)

    out = tmp_path / "run"
    Pipeline(None, aligner=Mine(), alignment=AlignmentSettings(reference=False)).run(
        "قال الوزير.\nانتهى الاجتماع.\n", hyp=["The minister said.", "The meeting ended."], out=out
    )
    assert Run.open(out).manifest["aligner"] == {"method": "Mine"}


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        ({"article": None}, "article= takes"),
        ({"article": 5}, "article= takes"),
        ({"out": 5}, "out= takes"),
        ({"hyp": 5}, "hyp= takes"),
        ({"ref": b"x"}, "ref= takes"),
        ({"hyp": [1, 2]}, "hyp= takes"),
    ],
)
def test_arguments_of_no_kind_a_run_takes_are_one_sentence(arguments, says):
    from align.errors import UserError

    given = {"article": "قال الوزير.\n", "hyp": ["The minister said."], **arguments}
    pipeline = Pipeline(None, alignment=AlignmentSettings(method="lexical", background=False))
    with pytest.raises(UserError, match=re.escape(says)):
        pipeline.run(**given)
    with pytest.raises(RunError, match="takes the path of a run directory"):
        Run.open(None)


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda: AlignmentSettings(background="yes"), "background= takes"),
        (lambda: AlignmentSettings(priors="x.priors"), "priors= takes"),
        (lambda: AlignmentSettings(train=[("a",)]), "train= takes"),
        (lambda: AlignmentSettings(train=[(1, 2)]), "train= takes"),
        (lambda: AlignmentSettings(attention=[1]), "attention= takes"),
        (lambda: AlignmentSettings(dictionary=5), "dictionary= takes"),
        (lambda: AlignmentSettings(reference="no"), "reference= takes"),
        (lambda: TranslationSettings(decoding=None), "decoding= takes"),
        (lambda: TranslationSettings(inter_threads="2"), "inter_threads= takes"),
        (lambda: TranslationSettings(intra_threads=True), "intra_threads= takes"),
        (lambda: TranslationSettings(cache=5), "cache= takes"),
        (lambda: TranslationSettings(engine=None), "engine= takes"),
    ],
)
def test_settings_of_the_wrong_kind_are_one_sentence(make, says):
    from align.errors import UserError

    with pytest.raises(UserError, match=re.escape(says)):
        make()


def test_settings_of_the_right_kind_are_taken(tmp_path):
    from align.links.priors import Priors

    AlignmentSettings(train=[("قال", "said")], dictionary=tmp_path / "d", priors=Priors([]))
    TranslationSettings(cache=str(tmp_path / "t.sqlite"), inter_threads=2, device="cpu")


def test_two_runs_never_write_one_folder_at_once(tmp_path):
    """A run holds its --out from its check to its manifest: a second one is refused in one
    sentence and leaves the folder (and the first run's files) alone."""
    import os

    from align.errors import OutputError
    from align.records import lock_folder

    article = "قال الوزير.\nانتهى الاجتماع.\n"
    hyp = ["The minister said.", "The meeting ended."]

    def pipeline():
        return Pipeline(None, alignment=AlignmentSettings(method="lexical", background=False),
                        checks=False, on_warning=lambda m: None)  # fmt: skip

    out = tmp_path / "run"
    pipeline().run(article, hyp=hyp, out=out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    other = lock_folder(out)  # another run is writing there
    try:
        with pytest.raises(OutputError, match="held by another run"):
            pipeline().run(article, hyp=hyp, out=out, force=True)
    finally:
        os.close(other)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    # a review open on the run holds it too: the run is not rewritten under it
    from align.review.state import ReviewState

    review = ReviewState.open(out, hold=True)
    try:
        with pytest.raises(OutputError, match="a review open on it"):
            pipeline().run(article, hyp=hyp, out=out, force=True)
    finally:
        review.release()
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before

    # A new folder: made by this run's check, then held; the other run that took it first
    # keeps it (it is not removed as this run's empty leftover).
    new = tmp_path / "new"
    taken: list[int] = []
    p = pipeline()
    prepare = p.prepare

    def prepared_then_taken(*args, **kwargs):
        job = prepare(*args, **kwargs)
        taken.append(lock_folder(new))
        return job

    p.prepare = prepared_then_taken
    try:
        with pytest.raises(OutputError, match="held by another run"):
            p.run(article, hyp=hyp, out=new)
        assert new.is_dir()
    finally:
        for fd in taken:
            os.close(fd)
    pipeline().run(article, hyp=hyp, out=new)
    assert Run.open(new).hypotheses == hyp


def test_check_prints_a_findings_names_without_their_control_characters(
    given_run, tmp_path, capsys
):
    from align.cli import main

    run_dir = _copy(given_run, tmp_path)
    rows = _rows(run_dir)
    row = next(r for r in rows if r["translated"])
    finding = {"check": "num\x1b[2J\x1b]0;title\x07", "kind": "changed\x1b[31m"}
    row["findings"] = [
        {**finding, "severity": "error", "confidence": 1.0, "message": "m", "src": None,
         "tgt": None}
    ]  # fmt: skip
    _rewrite(run_dir, "segments.jsonl", _jsonl(rows))
    assert main(["check", str(run_dir)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "num\\x1b[2J\\x1b]0;title\\x07/changed\\x1b[31m: m" in out


def test_checks_are_chosen_by_name_too(given_run, tmp_path):
    from align.checks import all_checks
    from align.checks.number import CHECK as NUMBER
    from align.errors import UserError

    run = Run.open(given_run)
    assert "number" in run.checks  # the names a run lists can be given back
    assert run.findings(checks=["number"]) == run.findings(checks=[NUMBER])
    with pytest.raises(UserError, match="There is no check named 'nombre'; the checks are"):
        run.findings(checks=["nombre"])
    with pytest.raises(UserError, match="There is no check named 'nombre'"):
        Pipeline(None, checks=["nombre"])
    with pytest.raises(UserError, match="checks= takes a list of checks or of their names"):
        Pipeline(None, checks=[3])
    # a finding names its check: one name twice would give each finding twice
    for twice in (["number", "number"], ["number", NUMBER]):
        with pytest.raises(UserError, match="names the check 'number' twice; give each check"):
            Pipeline(None, checks=twice)
        with pytest.raises(UserError, match="names the check 'number' twice"):
            run.findings(checks=twice)
    names = [c.name for c in all_checks()]
    assert Pipeline(None, checks=names).checks == all_checks()


def test_a_negative_bead_is_refused(document_run, tmp_path):
    run_dir = _copy(document_run, tmp_path)
    rows = _rows(run_dir)
    next(r for r in rows if r.get("bead") is not None)["bead"] = -1
    _rewrite(run_dir, "segments.jsonl", _jsonl(rows))
    with pytest.raises(RunError, match="its bead is not a whole number"):
        Run.open(run_dir)


def test_a_run_folder_that_cannot_be_opened_is_not_called_incomplete(
    given_run, tmp_path, monkeypatch, capsys
):
    import os

    import align.run
    from align.cli import main

    run_dir = _copy(given_run, tmp_path)
    real = os.stat

    def refuse(path, *args, **kwargs):  # a folder without search permission for this user
        if str(path).startswith(str(run_dir) + os.sep):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(align.run.os, "stat", refuse)
    with pytest.raises(RunError) as caught:
        Run.open(run_dir)
    assert str(caught.value) == f"{run_dir} cannot be read (Permission denied)"
    assert main(["compare", str(run_dir), str(given_run)]) == 2
    assert f"{run_dir} cannot be read (Permission denied)" in capsys.readouterr().err


def test_translation_groups_keep_a_given_bead_together_and_pass_over_what_is_not_one():
    from align.run import merged_groups, translation_groups

    given = {"hyp_layout": "document", "beads": [
        [[0, 1], [0]],       # two segments, one sentence: one pair
        [[2], [1, 2]],
        [[], [3]],           # a sentence no segment took: nothing to join
        [[4, 5, 6], [4]],    # segment 3 is boilerplate, so not among the translated
        [[7, 8], []],        # no sentence: each segment on its own
        "a bead", [[9, "x", None], [5]], [[9], [6], 7],
    ]}  # fmt: skip
    translated = [0, 1, 2, 4, 5, 6, 7, 8, 9]
    assert translation_groups({"given": given}, translated) == [
        (0, 1),
        (2,),
        (3, 4, 5),
        (6,),
        (7,),
        (8,),
    ]
    assert translation_groups({"given": {**given, "hyp_layout": "lines"}}, translated) == [
        (k,) for k in range(9)
    ]
    assert translation_groups({"model": "x"}, [3, 4]) == translation_groups(None, [3, 4])
    assert translation_groups({"given": {**given, "beads": {}}}, [0, 1]) == [(0,), (1,)]
    assert merged_groups(6, [(0, 1), (1, 2), (5, 4)]) == [(0, 1, 2), (3,), (4, 5)]
    assert merged_groups(0, [[]]) == []
    # a chain met from its end: each list joins the group the lists before it made
    assert merged_groups(5, [(3, 4), (2, 3), (1, 2), (0, 1)]) == [(0, 1, 2, 3, 4)]
