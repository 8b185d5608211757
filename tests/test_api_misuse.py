"""The Python API under misuse: every mistake a caller can make (a bad setting, a
hand-built Document, a translator or an aligner that returns something unusable, a text
no file can hold, a path no system takes) is one ``UserError`` sentence before anything is
written, and a run it stops leaves an earlier run in ``out`` as it was and no folder it
made."""

from __future__ import annotations

import math
import os
import re
from pathlib import Path

import pytest

from align import (
    Alignment,
    AlignmentSettings,
    DecodingSettings,
    Document,
    Link,
    Pipeline,
    Run,
    Segment,
    Token,
    TranslationSettings,
    UserError,
)
from align.errors import OutputError
from align.links.priors import Priors

ARTICLE = "قال الوزير.\nوصل الرئيس.\n"
HYP = ["The minister said.", "The president arrived."]


def lexical(on_warning=None) -> Pipeline:
    return Pipeline(
        None,
        alignment=AlignmentSettings(method="lexical", background=False),
        on_warning=on_warning,
    )


class Fixed:
    """A translator that gives every text the same translation, and ``info`` if given."""

    def __init__(self, out: str, info=None) -> None:
        self.out, self._info = out, info

    def translate(self, texts):
        return [self.out] * len(texts)


class FixedWithInfo(Fixed):
    def info(self):
        return self._info


class Returns:
    """An aligner that returns ``make(src, tgt)`` for every pair."""

    method = "returns"

    def __init__(self, make) -> None:
        self.make = make

    def align(self, pairs):
        return [self.make(s, t) for s, t in pairs]


def one_link(**fields):
    base = {
        "src_tokens": (Token(0, 1),),
        "tgt_tokens": (Token(0, 1),),
        "links": (Link(0, 0, 0.5),),
        "spans": (),
        "method": "returns",
    }
    return lambda s, t: Alignment(**{**base, **fields})


def given(translator) -> Pipeline:
    return Pipeline(
        None, translator=translator, alignment=AlignmentSettings(method="lexical", background=False)
    )


def test_what_the_manifest_cannot_hold_is_said_before_the_callers_objects_work():
    """A translator's info() or an aligner's settings that JSON cannot hold are refused
    before the translator translates (its calls may be paid for) or the aligner aligns."""
    calls = []

    class Counted(FixedWithInfo):
        def translate(self, texts):
            calls.append("translate")
            return super().translate(texts)

    class Aligner:
        method = "mine"
        settings = {"seed": math.inf}

        def align(self, pairs):
            calls.append("align")
            return [one_link()(s, t) for s, t in pairs]

    with pytest.raises(UserError, match="The translator's info\\(\\) must be a dict that JSON"):
        given(Counted("x", {"price": math.nan})).run(ARTICLE)
    with pytest.raises(UserError, match="The aligner's settings must be a dict that JSON"):
        Pipeline(None, translator=Counted("x", {}), aligner=Aligner()).run(ARTICLE)
    assert calls == []


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda: given(Fixed("x\ud800")), "lone surrogate"),
        (lambda: given(Fixed("two\nlines")), "texts\\[0\\] holds a line break"),
        (lambda: given(FixedWithInfo("x", {"o": {1, 2}})), "JSON can hold"),
        (lambda: given(FixedWithInfo("x", "str")), "must return a dict"),
        (None, None),
    ],
)
def test_a_failed_run_with_force_keeps_the_run_it_would_replace(tmp_path, make, words):
    """What a translator returns is checked before the folder is cleared: the old run is
    still whole (its manifest, every file)."""
    out = tmp_path / "run"
    lexical().run(ARTICLE, hyp=HYP, out=out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    if words is None:  # an aligner that gives a link outside its tokens
        pipeline = Pipeline(None, aligner=Returns(one_link(links=(Link(0, 5, 0.5),))))
        with pytest.raises(UserError, match="outside"):
            pipeline.run(ARTICLE, hyp=HYP, out=out, force=True)
    else:
        with pytest.raises(UserError, match=words):
            make().run(ARTICLE, out=out, force=True)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert Run.open(out).hypotheses == HYP


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"article": "قال\ud800\n", "hyp": ["a"]}, "The article's text is not valid Unicode"),
        ({"article": ARTICLE, "hyp": ["a\ud800", "b"]}, "hyp\\[0\\] is not valid Unicode"),
        ({"article": ARTICLE, "hyp": HYP, "ref": ["a", "b\udcff"]}, "ref\\[1\\] is not valid"),
        ({"article": ARTICLE, "hyp": ["a\nb", "c"]}, "hyp\\[0\\] holds a line break"),
        ({"article": ARTICLE, "hyp": ["a", "b\x00"]}, "hyp\\[1\\] holds a NUL"),
        ({"article": "", "hyp": HYP}, "article= is an empty string"),
        ({"article": "مقال.txt", "hyp": HYP}, "مقال.txt does not exist"),
        ({"article": ARTICLE, "hyp": HYP, "force": "no"}, "force= takes True or False"),
        ({"article": ARTICLE, "hyp": HYP, "batch_settings": "x"}, "batch_settings= takes"),
        ({"article": ARTICLE, "hyp": HYP, "out": "x\x00y"}, "holds a NUL character"),
        ({"article": ARTICLE, "hyp": HYP, "out": "x" * 300}, "cannot be used"),
    ],
)
def test_arguments_no_run_takes(tmp_path, monkeypatch, kwargs, words):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UserError, match=words):
        lexical().run(**kwargs)
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(
    ("document", "words"),
    [
        (
            lambda: Document("d", "abc", (Segment(0, 1, "body", 0, 5, "xxxxx"),)),
            "not inside its text",
        ),
        (lambda: Document("d", None, ()), "id and text must be strings"),
        (lambda: Document("d", "abc", None), "segments must be a tuple"),
        (lambda: Document("d", "ab", (Segment(0, None, "body", 0, 1, "a"),)), "whole number"),
        (lambda: Document("d", "ab", (Segment(0, 1, "body", True, 1, "b"),)), "whole number"),
        (lambda: Document("d", "ab", (Segment(0, 1, "body", 0, 1, "b"),)), "not its text"),
        (
            lambda: Document(
                "d", "ab", (Segment(0, 1, "body", 0, 1, "a"), Segment(0, 1, "body", 1, 2, "b"))
            ),
            "segment 1 is numbered 0",
        ),
        (lambda: Document("d", "ab", (Segment(0, 1, "headline", 0, 1, "a"),)), "the role"),
        (lambda: Document("d", "ab", (Segment(0, 1, "body", -1, 0, ""),)), "not inside"),
    ],
)
def test_a_hand_built_document_is_checked_when_made(document, words):
    with pytest.raises(UserError, match=words):
        document()


def test_a_document_stays_as_it_was_checked(tmp_path):
    """Segments given as a list are kept as a tuple: nothing can be added after the check."""
    document = Document("d", "ab", [Segment(0, 1, "body", 0, 2, "ab")])
    assert isinstance(document.segments, tuple)
    with pytest.raises(AttributeError):
        document.segments.append(Segment(1, 1, "body", 0, 5, "xxxxx"))
    result = given(Fixed("x")).run(document, out=tmp_path / "run")
    assert [s.source for s in Run.open(tmp_path / "run").segments] == ["ab"]
    assert result.hypotheses == ["x"]


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"links": (Link(0, 5, 0.5),)}, "points outside the 1×1 tokens"),
        ({"src_tokens": (Token(0, 500),)}, "source offsets reach past"),
        ({"tgt_tokens": (Token(0, 500),), "links": ()}, "target offsets reach past"),
        ({"links": (Link(0, 0, math.nan),)}, "confidence is nan"),
        ({"links": (Link(0, 0, "x"),)}, "not of their types"),
        ({"src_tokens": ((0, 1),)}, "not of their types"),
        # words the review and its exports could not count (one word, one token)
        ({"src_tokens": (Token(0, 0),), "links": ()}, "source unit 0 '' is empty"),
        ({"src_tokens": (Token(0, 5),)}, "source unit 0 'قال ا' is empty or holds whitespace"),
        ({"tgt_tokens": (Token(0, 3), Token(1, 3))}, "target unit 1 overlaps the one before"),
        # a unit mapped to a word it is not part of (its word links would join other words)
        (
            {
                "src_tokens": (Token(0, 1), Token(1, 3)),
                "src_words": (Token(0, 3), Token(4, 10)),
                "src_word": (1, 0),
                "tgt_words": (Token(0, 1),),
                "tgt_word": (0,),
            },
            "source unit 0 lies outside word 1, the word its map gives it",
        ),
    ],
)
def test_an_aligners_unusable_alignment_is_named_as_the_aligners(tmp_path, fields, words):
    pipeline = Pipeline(None, aligner=Returns(one_link(**fields)))
    with pytest.raises(UserError, match=f"The aligner returned for pairs\\[0\\] .*{words}"):
        pipeline.run(ARTICLE, hyp=HYP, out=tmp_path / "a" / "b" / "run")
    assert not list(tmp_path.iterdir())  # nor the folders made to hold the run


def test_a_failed_run_through_dot_dot_leaves_no_folder(tmp_path, monkeypatch):
    """``new/../x`` makes ``new`` as well as ``x``: a run that fails removes both."""
    monkeypatch.chdir(tmp_path)
    pipeline = Pipeline(None, aligner=Returns(one_link(links=(Link(0, 5, 0.5),))))
    with pytest.raises(UserError, match="The aligner returned"):
        pipeline.run(ARTICLE, hyp=HYP, out="new/../x")
    assert not list(tmp_path.iterdir())
    # a folder that was there, reached through one the run makes, is not the run's
    (tmp_path / "x").mkdir()
    with pytest.raises(UserError, match="The aligner returned"):
        pipeline.run(ARTICLE, hyp=HYP, out="new/../x")
    assert [p.name for p in tmp_path.iterdir()] == ["x"]


def test_a_folder_another_process_writes_is_not_cleaned_away(tmp_path):
    """A failed run's cleaning leaves a folder it made alone while another process holds it
    (one that made the same folder meanwhile), with that process's temporary files."""
    from align.records import lock_folder, remove_if_empty

    folder = tmp_path / "shared"
    folder.mkdir()
    theirs = folder / ".segments.jsonl.abcd1234.tmp"
    theirs.write_text("being written", encoding="utf-8")
    held = lock_folder(folder)
    try:
        remove_if_empty(folder)
        assert theirs.read_text(encoding="utf-8") == "being written"
    finally:
        os.close(held)
    remove_if_empty(folder)  # let go of: ours to clean
    assert not folder.exists()


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda: DecodingSettings(num_beams="4"), "num_beams= takes a whole number"),
        (lambda: DecodingSettings(num_beams=2.5), "num_beams= takes a whole number"),
        (lambda: DecodingSettings(num_beams=10**6), "num_beams= takes a whole number from 1 to 64"),
        (lambda: DecodingSettings(max_new_tokens=0), "max_new_tokens= takes"),
        (lambda: DecodingSettings(max_batch_tokens=True), "max_batch_tokens= takes"),
        (lambda: DecodingSettings(max_length_ratio=-1), "max_length_ratio= takes a number"),
        (lambda: DecodingSettings(max_length_ratio=math.inf), "max_length_ratio= takes"),
        (lambda: DecodingSettings(max_length_ratio=10**400), "max_length_ratio= takes"),
        (lambda: DecodingSettings(max_new_tokens=2, min_new_tokens=5), "is above max_new_tokens"),
        (lambda: AlignmentSettings(attention={"bogus": 1}), "has no option 'bogus'"),
        (lambda: AlignmentSettings(attention={"threshold": "x"}), "threshold takes a number"),
        (lambda: AlignmentSettings(attention={"heads": "all"}), "heads takes"),
        (lambda: TranslationSettings(cache="t\0.sqlite"), "cache= takes the path of the cache's"),
        (lambda: TranslationSettings(device=""), "device= takes a name or None, not an empty"),
        (lambda: TranslationSettings(quantization=" "), "quantization= takes a name or None"),
        (lambda: TranslationSettings(cache=""), "cache= takes the path of the cache's file, not"),
        (lambda: TranslationSettings(cache=Path("/")), "and / is a folder: name a file in it"),
        (lambda: AlignmentSettings(priors=Priors(["garbage line"])), "its line 1 is not an"),
        (lambda: AlignmentSettings(priors=Priors(["LEX\ta\tb\tnan"])), "its line 1 is not"),
        (lambda: AlignmentSettings(priors=Priors([], {"x": "y"})), "counts do not map words"),
        (lambda: Pipeline(5), "model= takes a hub id"),
        (lambda: Pipeline(None, progress="yes"), "progress= takes"),
        (lambda: Pipeline(None, on_warning=5), "on_warning= takes"),
    ],
)
def test_settings_are_checked_when_made(make, words):
    with pytest.raises(UserError, match=words):
        make()


def test_numpy_numbers_are_settings_as_pythons():
    import numpy as np

    settings = DecodingSettings(num_beams=np.int64(2), max_length_ratio=np.float32(1.5))
    assert settings.num_beams == 2 and type(settings.num_beams) is int
    assert type(settings.max_length_ratio) is float  # the manifest holds it as JSON


def test_a_run_in_memory_is_the_run_read_back_and_has_no_folder(tmp_path, monkeypatch):
    """Without a reference, the scores of the result and of ``Run.open`` are one object; a
    run without ``out`` has no folder, and does not read a review lying in the working
    folder as its own."""
    result = lexical().run(ARTICLE, hyp=HYP, out=tmp_path / "run")
    assert result.run == Run.open(tmp_path / "run")
    assert result.run.scores.note == "no reference was given"
    monkeypatch.chdir(tmp_path)
    Path("review.json").write_text("{}", encoding="utf-8")
    memory = lexical().run(ARTICLE, hyp=HYP).run
    assert memory.dir is None and memory.review is None


def test_an_empty_reference_line_is_scored_and_said():
    said: list[str] = []
    pipeline = lexical(said.append)
    result = pipeline.run(ARTICLE, hyp=HYP, ref=[HYP[0], " "])
    assert result.scores.bleu is not None
    assert any("the reference of segment(s) 1 is empty" in w for w in said), said
    assert said == list(result.warnings)


def test_an_article_with_nothing_to_translate_is_said():
    said: list[str] = []
    pipeline = lexical(said.append)
    result = pipeline.run("حقوق النشر محفوظة\n", hyp=[])
    assert result.hypotheses == [] and said == list(result.warnings)
    assert said and "no segment to translate" in said[0]


def test_run_open_of_a_name_too_long():
    with pytest.raises(UserError, match="is not a run directory"):
        Run.open("x" * 300)


def test_a_path_is_a_model_name(tmp_path):
    """model= takes a folder as a Path too: the missing folder is said as for a string."""
    with pytest.raises(UserError) as caught:
        Pipeline(tmp_path / "no-model").run(ARTICLE)
    assert os.fspath(tmp_path / "no-model") in str(caught.value)


def test_out_holding_the_translation_cache_or_inside_the_model_is_refused_first(
    tiny_model, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    article = "قال الوزير إن الاجتماع انتهى.\n"
    out = tmp_path / "run"
    pipeline = Pipeline(
        str(tiny_model),
        translation=TranslationSettings(
            cache=out / "t.sqlite", decoding=DecodingSettings(max_new_tokens=4)
        ),
        alignment=AlignmentSettings(method="lexical"),
        on_warning=lambda m: None,
    )
    with pytest.raises(OutputError, match="the translation cache .* is inside out="):
        pipeline.run(article, out=out)
    assert not out.exists()
    # paths as written, ~ included (neither expands it): compared as the run writes them
    tilde = Pipeline(
        str(tiny_model),
        translation=TranslationSettings(
            cache="~/r/t.sqlite", decoding=DecodingSettings(max_new_tokens=4)
        ),
        alignment=AlignmentSettings(method="lexical"),
        on_warning=lambda m: None,
    )
    with pytest.raises(OutputError, match="the translation cache ~/r/t.sqlite is inside out="):
        tilde.run(article, out="~/r")
    assert not (tmp_path / "~").exists()
    inside = tiny_model / "run"
    with pytest.raises(OutputError, match="is inside the model directory"):
        Pipeline(str(tiny_model), on_warning=lambda m: None).run(article, out=inside)
    assert not inside.exists()


def test_engine_options_the_engine_has_not_and_an_empty_model_are_said_at_once(tmp_path):
    # said when the pipeline is made, before any model loads (no model is at this path)
    missing = str(tmp_path / "no-model")
    with pytest.raises(UserError, match="quantization int8 needs the ctranslate2 engine"):
        Pipeline(missing, translation=TranslationSettings(engine="transformers",
                                                          quantization="int8"))  # fmt: skip
    with pytest.raises(UserError, match="are the ctranslate2 engine's"):
        Pipeline(missing, translation=TranslationSettings(engine="transformers",
                                                          intra_threads=2))  # fmt: skip
    with pytest.raises(UserError, match="model= is an empty string"):
        Pipeline("")


def test_help_and_dir_show_the_names_imported_on_first_use():
    # A fresh interpreter: the names are not imported yet, and help(align) still lists them.
    import subprocess
    import sys

    code = (
        "import align, pydoc; names = dir(align); page = pydoc.plain(pydoc.render_doc(align));"
        "print(all(n in names for n in align.__all__), 'class Pipeline(' in page)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.split() == ["True", "True"], done.stderr[-500:]


def test_a_translation_given_as_one_string_of_lines_is_refused_shortly(tmp_path):
    # A string is a path: the text itself was named as a file that cannot be read.
    text = "\n".join(["The minister arrived."] * 3)
    with pytest.raises(UserError) as err:
        Pipeline(None).run(str(tmp_path / "a.txt"), hyp=text)
    message = str(err.value)
    assert "hyp= is a string with line breaks" in message and "splitlines()" in message
    assert "minister" not in message


def _finding(**changed):
    from align.checks import Finding

    fields = {"check": "mine", "kind": "extra", "severity": "warning", "confidence": 0.5,
              "message": "m", "src": None, "tgt": None, **changed}  # fmt: skip
    return Finding(**fields)


@pytest.mark.parametrize(
    ("gives", "said"),
    [
        (lambda: None, "a NoneType, not a list of findings"),
        (lambda: [{"check": "mine"}], "a dict among its findings"),
        (lambda: [_finding(confidence=5)], "a finding of confidence 5"),
        (lambda: [_finding(confidence=math.nan)], "a finding of confidence nan"),
        (lambda: [_finding(confidence="0.5")], "a finding of confidence '0.5'"),
        (lambda: [_finding(severity="fatal")], "a finding of severity 'fatal'"),
        (lambda: [_finding(message=None)], "a finding whose message is not text"),
        (lambda: [_finding(src=(-5, 2))], "src span (-5, 2) is not inside the text"),
        (lambda: [_finding(tgt=(0, 999))], "tgt span (0, 999) is not inside the text"),
        (lambda: [_finding(src=(1, 2, 3))], "src span (1, 2, 3) is not inside the text"),
    ],
)
def test_a_check_of_the_callers_that_gives_what_no_run_holds_is_one_sentence(gives, said, tmp_path):
    """Such a finding was written, in a run that looked complete and that Run.open, the
    report and the review then refused; some raised a TypeError on the way."""

    class Mine:
        name = "mine"

        def check(self, segment, article):
            return gives()

    settings = AlignmentSettings(method="lexical", background=False)
    out = tmp_path / "run"
    with pytest.raises(UserError, match="The check 'mine' gave segment 0 ") as caught:
        Pipeline(None, alignment=settings, checks=[Mine()]).run(ARTICLE, hyp=HYP, out=out)
    assert said in str(caught.value)
    assert not out.exists()
    Pipeline(None, alignment=settings).run(ARTICLE, hyp=HYP, out=tmp_path / "good")
    with pytest.raises(UserError, match="The check 'mine' gave segment 0 "):
        Run.open(tmp_path / "good").findings(checks=[Mine()])


def test_a_model_that_neither_translates_nor_gives_attention_is_not_loaded(tmp_path):
    """A translator of the caller's, or a translation given, with an aligner that reads no
    attention: the model named (here one that does not exist) is not loaded, and the run
    records no model; it was loaded all the same, which stopped an offline run."""

    class Upper:
        def translate(self, texts):
            return [t.upper() for t in texts]

    missing = str(tmp_path / "no-model")
    settings = AlignmentSettings(method="lexical", background=False)
    made = Pipeline(missing, translator=Upper(), alignment=settings).run(ARTICLE)
    assert made.manifest["model"] is None and made.segments[0].hypothesis == "قال الوزير."
    given = Pipeline(missing, alignment=settings).run(ARTICLE, hyp=HYP)
    assert given.manifest["model"] is None and given.segments[1].hypothesis == HYP[1]
    # to translate, the model is needed: said in one sentence
    with pytest.raises(UserError):
        Pipeline(missing, alignment=settings).run(ARTICLE)


def test_settings_keep_what_was_checked_when_the_caller_changes_what_it_gave():
    options = {"layer": -1}
    pairs = [("قال", "said")]
    settings = AlignmentSettings(method="statistical", train=pairs, attention=options)
    options["junk"] = 1  # checked: no such option; changed afterwards, it got through
    pairs.append(("x", 3))
    assert dict(settings.attention) == {"layer": -1}
    assert settings.train == (("قال", "said"),)
    with pytest.raises(TypeError):
        settings.attention["layer"] = 2  # read-only
    assert hash(settings) == hash(
        AlignmentSettings(method="statistical", train=[("قال", "said")], attention={"layer": -1})
    )


def test_settings_holding_a_background_or_priors_are_hashable_like_the_others():
    # a frozen settings object with a Background or Priors in it raised "unhashable type"
    from align.links.background import Background
    from align.links.priors import Priors

    background = Background(pairs=[("قال", "said")])
    priors = Priors(lines=["LEX\tقال\tsaid\t1.0"])
    settings = AlignmentSettings(background=background, priors=priors)
    same = AlignmentSettings(background=background, priors=priors)
    assert hash(settings) == hash(same) and settings == same
    assert {settings: 1}[same] == 1
    assert settings != AlignmentSettings(background=Background(pairs=[("قال", "said")]))


def test_a_thread_count_no_machine_has_is_one_sentence_before_the_model_loads(tmp_path):
    # A billion threads ended the process in OpenMP ("out of memory"), with no Python error.
    settings = TranslationSettings(engine="ctranslate2", intra_threads=10**9)
    with pytest.raises(UserError, match="intra_threads must be at most 1,024"):
        Pipeline(str(tmp_path / "no-model"), translation=settings)


def test_attributes_of_the_callers_objects_that_the_api_does_not_name_are_not_read(tmp_path):
    """A translator's ``unsaved`` list and an aligner's ``skipped`` list (names the
    pipeline's own objects use) became run warnings, or a TypeError, and the list was
    cleared; an aligner's ``settings`` with a "method" renamed the run's aligner."""
    from align.links.methods import LexicalAligner

    lexical_aligner = LexicalAligner(None, False, None)

    class Translator:
        unsaved = [{"not": "a sentence"}]

        def translate(self, texts):
            return [t.upper() for t in texts]

    class Aligner:
        method = "mine"
        skipped = 3
        settings = {"method": 7, "window": 2}

        def align(self, pairs):
            return lexical_aligner.align(pairs)

    out = tmp_path / "run"
    made = Pipeline(None, translator=Translator(), aligner=Aligner()).run(ARTICLE, out=out)
    assert Translator.unsaved == [{"not": "a sentence"}]  # neither read nor cleared
    assert not any("not aligned" in w for w in made.warnings)
    assert made.manifest["aligner"] == {"method": "mine", "window": 2}
    assert Run.open(out).manifest["aligner"]["method"] == "mine"


@pytest.mark.parametrize(
    ("call", "said"),
    [
        (lambda p: p.segment(None), "article= takes a path"),
        (lambda p: p.segment(3), "article= takes a path"),
        (lambda p: p.segment(b"x"), "article= takes a path"),
        (lambda p: p.segment(""), "article= is an empty string"),
        (lambda p: p.align([("قال", 3)]), "align() takes a list of (Arabic, English) pairs"),
        (lambda p: p.align([("قال", None)]), "align() takes a list of (Arabic, English) pairs"),
        (lambda p: p.align("ab"), "align() takes a list of (Arabic, English) pairs"),
        (lambda p: p.align([("a", "b", "c")]), "align() takes a list of (Arabic, English) pairs"),
        (lambda p: p.translate("قال"), "translate() takes a list of strings"),
        (lambda p: p.translate(["قال"]), "Nothing translates: this pipeline has no model"),
    ],
)
def test_the_pipelines_other_methods_check_their_arguments(call, said):
    """segment, align and translate raised TypeError, AttributeError or ValueError from
    deep inside (pathlib, the limits, an unpacking) on arguments run() refuses."""
    with pytest.raises(UserError, match=re.escape(said)):
        call(lexical())
    assert len(lexical().align([("قال الوزير", "the minister said")])) == 1


@pytest.mark.parametrize("ref", [[], ["", "  "]])
def test_an_empty_reference_given_as_lines_in_document_layout_is_refused(ref, tmp_path):
    """As an empty reference file is: it was run, with warnings and no score."""
    with pytest.raises(UserError, match="The given reference is empty"):
        lexical().run(ARTICLE, hyp=HYP, ref=ref, ref_layout="document", out=tmp_path / "run")
    assert not (tmp_path / "run").exists()


def test_a_failed_write_does_not_promise_cached_translations_of_the_callers(tmp_path, monkeypatch):
    """A caller's translator is not cached: a run that cannot be written says a new try
    asks it again, not that the cached translations are reused."""
    import align.pipeline
    from align.errors import OutputError

    def full(*args, **kwargs):
        raise OutputError("No space left on device")

    monkeypatch.setattr(align.pipeline, "write_run", full)
    with pytest.raises(OutputError, match="a new try asks the translator again$"):
        given(Fixed("x")).run(ARTICLE, out=tmp_path / "run")


def test_any_path_like_object_is_taken_where_a_path_is(tmp_path):
    """os.PathLike objects other than pathlib's (os.DirEntry, a library's path class) are
    paths: for the article, the translation, the output, the cache and Run.open."""

    class Where:
        def __init__(self, path) -> None:
            self.path = str(path)

        def __fspath__(self) -> str:
            return self.path

    article, hyp = tmp_path / "a.txt", tmp_path / "hyp.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    hyp.write_text("\n".join(HYP) + "\n", encoding="utf-8")
    settings = TranslationSettings(cache=Where(tmp_path / "t.sqlite"))
    assert settings.cache == tmp_path / "t.sqlite"
    pipeline = lexical()
    assert len(pipeline.segment(Where(article)).segments) == 2
    result = pipeline.run(Where(article), hyp=Where(hyp), out=Where(tmp_path / "run"))
    assert result.hypotheses == HYP
    assert Run.open(Where(tmp_path / "run")).hypotheses == HYP
    words = tmp_path / "words.dict"
    words.write_text("الوزير\tminister\n", encoding="utf-8")
    assert AlignmentSettings(dictionary=Where(words)).dictionary == words
    assert Pipeline(Where(tmp_path / "model")).model_name == str(tmp_path / "model")


def test_a_results_objects_do_not_share_what_they_hold_with_its_records(tmp_path):
    """Editing a segment's scores or the result's warnings leaves the records as written."""
    result = lexical().run(ARTICLE, hyp=HYP, ref=HYP, out=tmp_path / "run")
    result.segments[0].scores["bleu"] = -1.0
    assert result.records[0]["scores"]["bleu"] == pytest.approx(100.0)
    result.warnings.append("mine")
    assert "mine" not in result.manifest["warnings"]
    signatures = result.scores.sentence_signatures
    signatures.clear()
    assert result.scores_json["sentence_signatures"]


def test_a_cache_path_is_judged_as_the_cache_reads_it(tmp_path, monkeypatch):
    """As given, ~ not expanded (open() expands none); a name too long to stat is left to
    the cache's own sentence when it opens, not a traceback when the settings are made."""
    home = tmp_path / "home"
    (home / "t.sqlite").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(tmp_path)
    assert TranslationSettings(cache="~/t.sqlite").cache == "~/t.sqlite"
    assert TranslationSettings(cache="~nosuchuser/t.sqlite")
    assert TranslationSettings(cache="x" * 5000)
    with pytest.raises(UserError, match="is a folder: name a file in it"):
        TranslationSettings(cache=str(home / "t.sqlite"))


def test_settings_take_numpy_counts_and_refuse_a_bytes_path_in_one_sentence():
    import numpy as np

    counts = {"قال": np.int64(3)}  # what a caller counting with NumPy holds
    assert AlignmentSettings(priors=Priors(["LEX\tقال\tsaid\t1"], counts)).priors.counts == counts

    class BytesPath:
        def __fspath__(self):
            return b"/tmp/words.dict"

    with pytest.raises(UserError, match="The setting dictionary= takes a path"):
        AlignmentSettings(dictionary=BytesPath())


def test_messages_name_the_keyword_arguments_a_python_caller_gives(tmp_path, capsys):
    """A refusal of ``out`` says ``out=`` and ``force=True`` to a Python caller, and is an
    ``OutputError``; the same refusal on the command line names ``--out`` and ``--force``."""
    from align.cli import main

    out = tmp_path / "run"
    lexical().run(ARTICLE, hyp=HYP, out=out)
    with pytest.raises(OutputError) as refused:
        lexical().run(ARTICLE, hyp=HYP, out=out)
    said = str(refused.value)
    assert said.startswith(f"out= {out} already exists") and "pass force=True" in said
    assert "--" not in said
    (out / "review.journal.jsonl").write_text("", encoding="utf-8")
    with pytest.raises(OutputError) as refused:
        lexical().run(ARTICLE, hyp=HYP, out=out, force=True)
    assert "(force=True included)" in str(refused.value)
    (out / "review.journal.jsonl").unlink()
    hyp = tmp_path / "hyp.txt"
    hyp.write_text("\n".join(HYP) + "\n", encoding="utf-8")
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    code = main(["run", str(article), "--hyp", str(hyp), "--align-method", "lexical",
                 "--no-background", "--out", str(out)])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and f"--out {out} already exists" in err and "pass --force" in err
    # and, the command over, Python callers are spoken to in Python again
    with pytest.raises(OutputError, match="pass force=True"):
        lexical().run(ARTICLE, hyp=HYP, out=out)
