"""The transformers translator: identical to direct generate, in order, split, capped."""

from __future__ import annotations

import dataclasses
import json
import math
from collections import Counter
from pathlib import Path

import pytest

from align.errors import UserError
from align.translate.base import DecodingSettings
from align.translate.split import split_to_fit

ARTICLE = Path(__file__).resolve().parents[1] / "corpus" / "seed-article" / "article.ar.txt"
NEW = 8  # a fixed cap on new tokens, for tests that do not need the relative one


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


# MarianTranslator, on the conftest fixture models as built (random weights, std 0.1: the
# output depends on the input, so an ordering bug shows).


@pytest.fixture(scope="module")
def loaded(tiny_model):
    from align.model.load import load_marian

    return load_marian(str(tiny_model), device="cpu")


@pytest.fixture(scope="module")
def sentences() -> list[str]:
    """Twelve short corpus sentences of different lengths, deliberately not in length order
    (short, so that the default relative cap keeps generation quick)."""
    lines = [x for x in ARTICLE.read_text(encoding="utf-8-sig").splitlines() if x.strip()]
    words = [3, 9, 1, 6, 2, 10, 4, 7, 1, 5, 8, 2]
    return [" ".join(line.split()[:n]) for line, n in zip(lines[1:], words, strict=False)]


def direct(loaded, text: str, **kwargs) -> list[int]:
    """``model.generate`` on one text by itself, no padding: what batching must reproduce."""
    import torch

    inputs = loaded.tokenizer([text], return_tensors="pt")
    with torch.inference_mode():
        return loaded.model.generate(**inputs, **kwargs)[0].tolist()


def translator(loaded, **settings):
    from align.translate.marian import MarianTranslator

    return MarianTranslator(loaded, DecodingSettings(**settings), progress=False)


def cap_of(tr, text: str) -> int:
    """The cap on new tokens of one text, from its own length (its </s> included)."""
    return tr.max_new_tokens_for(len(tr.loaded.tokenizer(text).input_ids))


def batches_for(caps: list[int], size: int) -> int:
    """Batches when only texts that share a cap share a batch."""
    return sum(math.ceil(caps.count(c) / size) for c in set(caps))


def test_default_settings_are_identical_to_direct_generate(loaded, sentences):
    from align.translate.marian import MarianTranslator

    default = DecodingSettings()
    assert default.max_new_tokens is None and default.num_beams == 4  # the relative cap
    lengths = [len(loaded.tokenizer(s).input_ids) for s in sentences]
    assert lengths != sorted(lengths, reverse=True)  # sorting really reorders
    tr = MarianTranslator(loaded, progress=False)
    caps = [cap_of(tr, s) for s in sentences]
    assert len(set(caps)) >= 3  # several length buckets, each with its own cap
    expected = [direct(loaded, s, num_beams=4, max_new_tokens=cap_of(tr, s)) for s in sentences]
    # Outputs differ even between texts that share a cap, so a reordering would show.
    assert len({tuple(e) for e in expected}) > len(set(caps))
    texts = loaded.tokenizer.batch_decode(expected, skip_special_tokens=True)
    # 2: many batches; 16: one batch would hold short and long texts if caps allowed it.
    for size in (2, 16):
        tr = MarianTranslator(
            loaded, dataclasses.replace(default, max_batch_sentences=size), progress=False
        )
        assert tr.generate_ids(sentences) == expected
        assert tr.last_stats["batches"] == batches_for(caps, size)
        assert tr.translate(sentences) == texts


def test_opus_sized_fixture_is_identical_to_direct_generate(opus_model):
    """The real architecture and vocabulary size (62834 entries), a fixed small cap."""
    from align.model.load import load_marian

    opus = load_marian(str(opus_model), device="cpu")
    lines = [x for x in ARTICLE.read_text(encoding="utf-8-sig").splitlines() if x.strip()]
    texts = [
        " ".join(line.split()[:n]) for line, n in zip(lines[1:], [3, 12, 1, 7, 20, 5], strict=False)
    ]
    expected = [direct(opus, t, num_beams=4, max_new_tokens=6) for t in texts]
    assert len({tuple(e) for e in expected}) > 1
    tr = translator(opus, max_new_tokens=6, max_batch_sentences=4)
    assert tr.generate_ids(texts) == expected
    assert tr.last_stats["batches"] == 2


def test_identical_when_sequences_end_at_different_lengths(tiny_model, sentences):
    import torch

    from align.model.load import load_marian

    own = load_marian(str(tiny_model), device="cpu")  # a copy of its own to change
    with torch.no_grad():
        own.model.final_logits_bias[0, own.model.config.eos_token_id] = 2.0  # some end early
    tr = translator(own, max_batch_sentences=5)
    caps = [cap_of(tr, s) for s in sentences]
    expected = [direct(own, s, num_beams=4, max_new_tokens=cap_of(tr, s)) for s in sentences]
    ends = list(zip([len(e) - 1 for e in expected], caps, strict=True))  # (new tokens, cap)
    assert any(n < cap for n, cap in ends) and any(n == cap for n, cap in ends)
    # Rows of one batch that end at different lengths: the shorter ones are padded.
    assert any(len({n for n, c in ends if c == cap}) > 1 for cap in set(caps))
    assert tr.generate_ids(sentences) == expected


def test_input_order_and_empty_inputs(loaded, sentences):
    tr = translator(loaded, max_batch_sentences=2)
    three = [sentences[0], sentences[1], sentences[8]]
    one = tr.translate(three)
    assert len(set(one)) == 3  # different outputs, so an order mix-up would show
    assert tr.translate(["", three[2], "  \n", three[0], three[1], ""]) == [
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
    assert tr.last_stats == {"segments": 0, "split_segments": 0, "pieces": 0, "batches": 0}


def counting(tr) -> Counter:
    """Count calls of ``tr.count_tokens`` per text."""
    calls: Counter = Counter()
    count = tr.count_tokens

    def counted(text: str) -> int:
        calls[text] += 1
        return count(text)

    tr.count_tokens = counted
    return calls


def test_long_segment_is_split_not_truncated(loaded):
    from transformers import MarianTokenizer

    short = dataclasses.replace(
        loaded, tokenizer=MarianTokenizer.from_pretrained(loaded.path, model_max_length=24)
    )
    tr = translator(short, max_new_tokens=NEW)
    assert tr.max_input_tokens == 23
    text = max(ARTICLE.read_text(encoding="utf-8-sig").splitlines(), key=len)
    assert tr.count_tokens(text) > 3 * 23

    calls = counting(tr)
    out = tr.translate([text])
    assert max(calls.values()) == 1  # no text is tokenized twice to be counted
    spans = split_to_fit(text, tr.count_tokens, 23)
    check_cover(text, spans, tr.count_tokens, 23)
    pieces = [text[s:e] for s, e in spans]
    assert all(len(short.tokenizer(p).input_ids) <= 24 for p in pieces)
    expected = [direct(short, p, num_beams=4, max_new_tokens=NEW) for p in pieces]
    decoded = short.tokenizer.batch_decode(expected, skip_special_tokens=True)
    assert out == [" ".join(decoded)]
    assert tr.last_stats["split_segments"] == 1 and tr.last_stats["pieces"] == len(pieces)


def test_each_segment_is_counted_once(loaded, sentences):
    tr = translator(loaded, max_new_tokens=2, max_batch_sentences=4)
    calls = counting(tr)
    tr.translate(sentences)
    assert sorted(calls.elements()) == sorted(sentences)


def test_relative_cap_depends_on_the_segment_alone(loaded, sentences):
    from align.translate.marian import CAP_BUCKET

    tr = translator(loaded, max_length_ratio=0.25, max_length_offset=3, max_batch_sentences=1)
    # n source tokens (</s> included) round up to a multiple of CAP_BUCKET (8), then
    # ceil(ratio * that) + offset, never above max_length - 1 nor below 1.
    assert CAP_BUCKET == 8
    assert [tr.max_new_tokens_for(n) for n in (1, 8, 9, 16, 17, 40)] == [5, 5, 7, 7, 9, 13]
    assert tr.max_new_tokens_for(10_000) == loaded.model.generation_config.max_length - 1
    assert translator(loaded, max_length_offset=-100).max_new_tokens_for(3) == 1
    assert translator(loaded, max_new_tokens=7).max_new_tokens_for(300) == 7
    # With the defaults, as the README says: ceil(2.0 * 8) + 10 for n <= 8.
    assert translator(loaded).max_new_tokens_for(3) == 26

    some = sentences[:4]
    got = [len(ids) - 1 for ids in tr.generate_ids(some)]  # minus the decoder start token
    assert got == [cap_of(tr, s) for s in some]  # the fixture runs to the cap (forced </s>)

    # A short and a long text asked for together: each keeps its own cap, in its own batch.
    tr = translator(loaded, max_length_ratio=0.25, max_length_offset=3, max_batch_sentences=2)
    short, long = sentences[2], sentences[5]
    assert cap_of(tr, short) < cap_of(tr, long)
    got = [len(ids) - 1 for ids in tr.generate_ids([short, long])]
    assert got == [cap_of(tr, short), cap_of(tr, long)]
    assert tr.last_stats["batches"] == 2
    # Two texts of one bucket share a batch.
    assert cap_of(tr, sentences[0]) == cap_of(tr, sentences[2])
    tr.generate_ids([sentences[0], sentences[2]])
    assert tr.last_stats["batches"] == 1


def test_stats_per_call_and_cumulative(loaded, sentences):
    tr = translator(loaded, max_new_tokens=2, max_batch_sentences=4)
    tr.translate(sentences[:5])
    assert tr.last_stats == {"segments": 5, "split_segments": 0, "pieces": 5, "batches": 2}
    tr.translate(sentences[5:7])
    assert tr.last_stats == {"segments": 2, "split_segments": 0, "pieces": 2, "batches": 1}
    assert tr.stats == {"segments": 7, "split_segments": 0, "pieces": 7, "batches": 3}
    assert tr.info()["stats"] == tr.last_stats  # a run's manifest: that run's counts


def test_info_is_json_for_the_manifest(loaded):
    tr = translator(loaded, max_new_tokens=NEW)
    info = json.loads(json.dumps(tr.info()))
    assert info["engine"] == "transformers"
    assert info["decoding"] == DecodingSettings(max_new_tokens=NEW).to_json()
    assert info["cap_bucket_tokens"] == 8
    assert info["generation_config"]["num_beams"] == 4
    assert "bad_words_ids" in info["generation_config"]
    assert "transformers_version" not in info["generation_config"]
    assert info["transformers_version"] and info["torch_version"]
    assert info["device"] == "cpu" and info["max_input_tokens"] == 511
    # The model itself is recorded once, apart (LoadedModel.info, the manifest's "model").
    assert not {"model", "model_hash", "file_hashes"} & info.keys()
    assert info["stats"]["split_segments"] == 0


def test_progress_bar(loaded, sentences, capsys):
    from align.translate.marian import MarianTranslator

    settings = DecodingSettings(max_new_tokens=2, max_batch_sentences=1)
    MarianTranslator(loaded, settings, progress=True).translate(sentences[:2])
    assert "translate" in capsys.readouterr().err
    for progress in (False, None):  # None: only on a terminal, and pytest captures stderr
        MarianTranslator(loaded, settings, progress=progress).translate(sentences[:2])
        assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    "bad",
    [
        {"max_new_tokens": 0},
        {"max_new_tokens": 10_000},
        {"max_batch_sentences": 0},
        {"max_batch_tokens": 0},
    ],
)
def test_bad_settings_are_user_errors(loaded, bad):
    with pytest.raises(UserError):
        translator(loaded, **bad)
