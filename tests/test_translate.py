"""The transformers translator: identical to direct generate, in order, split, capped."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import pytest

from align.errors import UserError
from align.translate.base import DecodingSettings
from align.translate.split import split_to_fit

ARTICLE = Path(__file__).resolve().parents[1] / "corpus" / "seed-article" / "article.ar.txt"
NEW = 8  # random weights never emit </s>: every test caps new tokens


@pytest.fixture(scope="session")
def loaded(tmp_path_factory):
    import torch

    from align.model.fixture import build_fixture
    from align.model.load import load_marian

    path = build_fixture(tmp_path_factory.mktemp("models") / "tiny", size="tiny")
    loaded = load_marian(str(path), device="cpu")
    # The fixture's small init (std 0.02) makes a tiny model emit the same token for every
    # input, which would let a reordering bug pass. Larger random weights make the output
    # depend on the input.
    torch.manual_seed(1)
    with torch.no_grad():
        for p in loaded.model.parameters():
            if p.dim() > 1:
                p.normal_(0.0, 0.5)
    return loaded


@pytest.fixture(scope="session")
def sentences() -> list[str]:
    """Ten corpus sentences of different lengths, deliberately not in length order."""
    lines = [x for x in ARTICLE.read_text(encoding="utf-8-sig").splitlines() if x.strip()]
    words = [3, 40, 12, 1, 25, 7, 33, 18, 2, 9]
    return [" ".join(line.split()[:n]) for line, n in zip(lines, words, strict=False)]


def direct(loaded, text: str, **kwargs) -> list[int]:
    import torch

    inputs = loaded.tokenizer([text], return_tensors="pt")
    with torch.inference_mode():
        return loaded.model.generate(**inputs, **kwargs)[0].tolist()


def translator(loaded, **settings):
    from align.translate.marian import MarianTranslator

    return MarianTranslator(loaded, DecodingSettings(**settings), progress=False)


def check_cover(text: str, spans, count, limit: int) -> None:
    """Spans in order, trimmed, each fitting, covering every non-space character."""
    assert spans
    ends = [0] + [e for _, e in spans]
    for (start, end), prev_end in zip(spans, ends, strict=False):
        assert prev_end <= start < end
        assert not text[start].isspace() and not text[end - 1].isspace()
        assert text[prev_end:start].strip() == ""
        assert count(text[start:end]) <= limit
    assert text[spans[-1][1] :].strip() == ""


def words(text: str) -> int:
    return len(text.split())


# split_to_fit, with words as tokens


def test_split_fits_whole():
    text = "  ذهب الوزير إلى المؤتمر  "
    assert split_to_fit(text, words, 4) == [(2, len(text) - 2)]
    assert split_to_fit(" \n ", words, 4) == []


def test_split_at_clause_punctuation_first():
    text = "قال الوزير إن الاجتماع كان مثمرا، وأضاف أن المحادثات ستستمر؛ ثم غادر القاعة بسرعة"
    spans = split_to_fit(text, words, 6)
    assert [text[s:e] for s, e in spans] == [
        "قال الوزير إن الاجتماع كان مثمرا،",
        "وأضاف أن المحادثات ستستمر؛",
        "ثم غادر القاعة بسرعة",
    ]
    check_cover(text, spans, words, 6)


def test_split_at_sentence_ends_before_clauses_and_keeps_closing_quotes():
    text = 'كيف وقع الهجوم؟ قال "كان واضحا، جدا." ثم غادر'
    spans = split_to_fit(text, words, 4)
    assert [text[s:e] for s, e in spans] == ["كيف وقع الهجوم؟", 'قال "كان واضحا، جدا."', "ثم غادر"]


def test_split_packs_small_clauses_together():
    text = "أولا، ثانيا، ثالثا، رابعا، خامسا"
    spans = split_to_fit(text, words, 3)
    assert [text[s:e] for s, e in spans] == ["أولا، ثانيا، ثالثا،", "رابعا، خامسا"]


def test_split_before_conjunction_then_whitespace():
    text = "ذهب الرئيس إلى المدينة والتقى المسؤولين هناك"
    spans = split_to_fit(text, words, 4)
    assert [text[s:e] for s, e in spans] == ["ذهب الرئيس إلى المدينة", "والتقى المسؤولين هناك"]
    text = "ذهب الرئيس إلى المدينة الكبيرة في الشمال"
    spans = split_to_fit(text, words, 3)
    assert [text[s:e] for s, e in spans] == ["ذهب الرئيس إلى", "المدينة الكبيرة في", "الشمال"]


def test_split_never_cuts_numbers_or_times():
    text = "وصل التحذير في الساعة 11:15 صباحا وقتل 1,000 شخص"
    spans = split_to_fit(text, words, 5)
    pieces = [text[s:e] for s, e in spans]
    assert any("11:15" in p for p in pieces) and any("1,000" in p for p in pieces)
    check_cover(text, spans, words, 5)


def test_split_a_word_too_long_between_characters():
    text = "كلمة " + "مَرحبا" * 3  # combining marks (fatha) must stay with their letter
    spans = split_to_fit(text, len, 7)
    check_cover(text, spans, len, 7)
    assert all(not text[s].startswith("\u064e") for s, _ in spans)
    with pytest.raises(ValueError):
        split_to_fit("abc", lambda s: 5, 2)


# MarianTranslator


def test_batched_translation_is_identical_to_direct_generate(loaded, sentences):
    tr = translator(loaded, num_beams=4, max_new_tokens=NEW, batch_size=3)
    lengths = [tr.count_tokens(s) for s in sentences]
    assert lengths != sorted(lengths, reverse=True)  # sorting really reorders
    expected = [direct(loaded, s, num_beams=4, max_new_tokens=NEW) for s in sentences]
    assert len({tuple(e) for e in expected}) == len(sentences)  # not one output for all
    assert tr.generate_ids(sentences) == expected
    assert tr.translate(sentences) == loaded.tokenizer.batch_decode(
        expected, skip_special_tokens=True
    )
    assert tr.stats["batches"] == 2 * math.ceil(len(sentences) / 3)


def test_identical_when_sequences_end_at_different_lengths(loaded, sentences):
    import torch

    bias = loaded.model.final_logits_bias
    saved = bias.clone()
    with torch.no_grad():
        bias[0, loaded.model.config.eos_token_id] = 6.5  # </s> now ends some outputs early
    try:
        tr = translator(loaded, max_new_tokens=24, batch_size=5)
        expected = [direct(loaded, s, num_beams=4, max_new_tokens=24) for s in sentences]
        assert len({len(e) for e in expected}) > 1  # some rows end early and are padded
        assert tr.generate_ids(sentences) == expected
    finally:
        with torch.no_grad():
            bias.copy_(saved)


def test_input_order_and_empty_inputs(loaded, sentences):
    tr = translator(loaded, max_new_tokens=4, batch_size=2)
    one = tr.translate(sentences[:3])
    assert tr.translate(["", sentences[2], "  \n", sentences[0], sentences[1], ""]) == [
        "",
        one[2],
        "",
        one[0],
        one[1],
        "",
    ]
    batches = tr.stats["batches"]
    assert tr.translate(["", " "]) == ["", ""]
    assert tr.translate([]) == []
    assert tr.stats["batches"] == batches  # the model was not called


def test_long_segment_is_split_not_truncated(loaded):
    from transformers import MarianTokenizer

    short = dataclasses.replace(
        loaded, tokenizer=MarianTokenizer.from_pretrained(loaded.path, model_max_length=24)
    )
    tr = translator(short, max_new_tokens=NEW)
    assert tr.max_input_tokens == 23
    text = max(ARTICLE.read_text(encoding="utf-8-sig").splitlines(), key=len)
    assert tr.count_tokens(text) > 3 * 23

    out = tr.translate([text])
    spans = split_to_fit(text, tr.count_tokens, 23)
    check_cover(text, spans, tr.count_tokens, 23)
    pieces = [text[s:e] for s, e in spans]
    assert all(len(short.tokenizer(p).input_ids) <= 24 for p in pieces)
    expected = [direct(short, p, num_beams=4, max_new_tokens=NEW) for p in pieces]
    decoded = short.tokenizer.batch_decode(expected, skip_special_tokens=True)
    assert out == [" ".join(decoded)]
    assert tr.stats["split_segments"] == 1 and tr.stats["pieces"] == len(pieces)


def test_relative_cap_sets_the_number_of_new_tokens(loaded, sentences):
    tr = translator(loaded, max_length_ratio=0.25, max_length_offset=3, batch_size=1)
    some = sentences[:4]
    got = [len(ids) - 1 for ids in tr.generate_ids(some)]  # minus the decoder start token
    sources = [len(loaded.tokenizer(s).input_ids) for s in some]  # </s> included
    assert got == [math.ceil(0.25 * n) + 3 for n in sources]

    # One batch: every sentence gets the cap of the batch's longest source.
    tr = translator(loaded, max_length_ratio=0.25, max_length_offset=3, batch_size=2)
    got = [len(ids) - 1 for ids in tr.generate_ids([sentences[3], sentences[1]])]
    assert got == [math.ceil(0.25 * max(sources[3], sources[1])) + 3] * 2

    # Never above what generate allows by default.
    assert tr.max_new_tokens_for(10_000) == loaded.model.generation_config.max_length - 1


def test_info_is_json_for_the_manifest(loaded):
    tr = translator(loaded, max_new_tokens=NEW)
    info = json.loads(json.dumps(tr.info()))
    assert info["engine"] == "transformers"
    assert info["decoding"] == DecodingSettings(max_new_tokens=NEW).to_json()
    assert info["generation_config"]["num_beams"] == 4
    assert "bad_words_ids" in info["generation_config"]
    assert "transformers_version" not in info["generation_config"]
    assert info["transformers_version"] and info["torch_version"]
    assert info["model_hash"] == loaded.model_hash and info["device"] == "cpu"
    assert info["stats"]["split_segments"] == 0


def test_progress_bar(loaded, sentences, capsys):
    from align.translate.marian import MarianTranslator

    settings = DecodingSettings(max_new_tokens=2, batch_size=1)
    MarianTranslator(loaded, settings, progress=True).translate(sentences[:2])
    assert "translate" in capsys.readouterr().err
    for progress in (False, None):  # None: only on a terminal, and pytest captures stderr
        MarianTranslator(loaded, settings, progress=progress).translate(sentences[:2])
        assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    "bad", [{"max_new_tokens": 0}, {"max_new_tokens": 10_000}, {"batch_size": 0}]
)
def test_bad_settings_are_user_errors(loaded, bad):
    with pytest.raises(UserError):
        translator(loaded, **bad)
