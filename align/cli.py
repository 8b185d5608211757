"""``arabic-align``: one console script, one subcommand per job, over the library.

Errors a user can cause (``UserError``) print one sentence and exit non-zero; anything
else keeps its traceback, because it is our bug.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shlex
import signal
import sys
from collections.abc import Callable
from pathlib import Path

from align.errors import (
    UserError,
    on_command_line,
    printable,
    short_of_memory,
    under_memory_limit,
)
from align.translate.base import MAX_BEAMS, MAX_THREADS

PROG = "arabic-align"


def _warn(message: str) -> None:
    """A warning: something the user should know is wrong or doubtful (a fixture model's
    gibberish, a reference that does not fit), on stderr."""
    print(f"{PROG}: warning: {printable(message)}", file=sys.stderr)


def _info(message: str) -> None:
    """An informational line (progress, what was skipped or done), on stderr, unlabelled:
    stdout keeps the results."""
    print(printable(message), file=sys.stderr)


def cmd_segment(args: argparse.Namespace) -> int:
    from align.records import json_line
    from align.text import read_article, segment_text

    path = Path(args.file)
    document = segment_text(read_article(path), doc_id=path.stem)
    for seg in document.segments:
        sys.stdout.write(json_line(seg.to_json()) + "\n")
    return 0


def _settings(args: argparse.Namespace):
    from align.translate.base import DecodingSettings

    return DecodingSettings(
        num_beams=args.beams,
        max_new_tokens=args.max_new_tokens,
        max_batch_tokens=args.batch_tokens,
    )


def _check_method_options(method: str, train_option: str, train, dictionary) -> None:
    """Options the chosen alignment method would silently ignore are refused instead."""
    if train and method not in ("statistical", "hybrid"):
        raise UserError(
            f"{train_option} is training text for the statistical and hybrid methods; the "
            f"{method} method does not use it"
        )
    if dictionary and method not in ("lexical", "hybrid"):
        raise UserError(
            f"--dictionary is used by the lexical and hybrid methods; the {method} method "
            "does not use it"
        )


def _check_given_translation_options(args: argparse.Namespace) -> None:
    """With a translation given (--hyp) nothing is translated: the decoding options would do
    nothing, and without a model neither would the engine's. (An option left at its default
    is not looked at: it changes nothing either way.)"""
    from align.translate.base import DecodingSettings

    plain = DecodingSettings()
    decoding = [("--beams", args.beams != plain.num_beams),
                ("--max-new-tokens", args.max_new_tokens is not None),
                ("--no-cache", args.no_cache)]  # fmt: skip
    for option, given in decoding:
        if given:
            raise UserError(f"{option} is for translating, and a translation given with --hyp "
                            "is not translated; leave it out")  # fmt: skip
    if args.model is None:
        engine = [("--batch-tokens", args.batch_tokens != plain.max_batch_tokens),
                  ("--engine", args.engine != "auto"), ("--device", args.device != "auto"),
                  ("--quantization", args.quantization is not None),
                  ("--inter-threads", args.inter_threads is not None),
                  ("--intra-threads", args.intra_threads is not None)]  # fmt: skip
        for option, given in engine:
            if given:
                raise UserError(f"{option} is for the model, and with --hyp no model is "
                                "loaded unless --model is given; leave it out")  # fmt: skip
    elif args.align_method not in ("attention", "hybrid"):
        raise UserError(
            f"--model with --hyp lends its attention to the hybrid and attention aligners; the "
            f"{args.align_method} method does not use it"
        )


def cmd_run(args: argparse.Namespace) -> int:
    from align.model.registry import DEFAULT_MODEL
    from align.pipeline import Pipeline
    from align.records import check_inputs_outside_run, check_outside_reads

    _check_method_options(args.align_method, "--align-train", args.align_train, args.dictionary)
    if args.hyp_layout is not None and args.hyp is None:
        raise UserError("--hyp-layout is the layout of a translation given with --hyp; give one")
    if args.ref_layout is not None and args.ref is None:
        raise UserError("--ref-layout is the layout of a reference given with --ref; give one")
    if args.hyp is not None:
        _check_given_translation_options(args)
    if args.inter_threads is not None or args.intra_threads is not None:
        from align.translate.engines import check_thread_counts, resolve_engine

        # (said before the model loads)
        check_thread_counts(resolve_engine(args.engine), args.inter_threads, args.intra_threads)

    # The article and the reference are checked by the pipeline itself.
    inputs = [("dictionary", args.dictionary), ("priors file", args.priors),
              *_train_inputs(args.align_train)]  # fmt: skip
    check_inputs_outside_run(Path(args.out), inputs)
    # With a translation given, a model is loaded only when asked for (its attention).
    model = args.model if args.model is not None or args.hyp else DEFAULT_MODEL
    # Before the aligner's background fills the cache (which might be inside --out).
    check_outside_reads(Path(args.out), "--out", [("model directory", model)])

    from align.settings import AlignmentSettings, TranslationSettings

    pipeline = Pipeline(
        model,
        translation=TranslationSettings(
            engine=args.engine, device=args.device, quantization=args.quantization,
            inter_threads=args.inter_threads, intra_threads=args.intra_threads,
            cache=not args.no_cache, decoding=_settings(args),
        ),
        alignment=AlignmentSettings(
            method=args.align_method, train=tuple(_extra_pairs(args.align_train)),
            dictionary=_dictionary(args.dictionary),
            background=_background(args.no_background, args.align_method),
            priors=_priors(
                args.priors, args.align_method, background=not args.no_background
            ),
        ),
        progress=False if args.no_progress else None,
        on_warning=_warn, checks=not args.no_checks,
    )  # fmt: skip
    # A path, always: an article name is never taken for the article's text.
    result = pipeline.run(
        Path(args.article), ref=args.ref, out=args.out, force=args.force,
        ref_layout=args.ref_layout or "lines", hyp=args.hyp,
        hyp_layout=args.hyp_layout or "lines",
    )  # fmt: skip
    counts = result.manifest["counts"]
    done = "given" if args.hyp else "translated"
    print(
        f"wrote {printable(args.out)}: {_plural(counts['translated'], 'segment')} {done} "
        f"({counts['segments']:,} in the article)"
    )
    scores = result.scores_json
    if scores and not scores.get("corpus"):
        print("  no segment could be paired with the reference: nothing was scored")
    for entry in result.scores or ():
        print(f"  {entry.text}")
        print(f"    {entry.signature}")
    if result.run.checked:
        where = printable(shlex.quote(str(args.out)))
        print(f"  {_findings_line(_finding_counts_of(result.run), where)}")
    return 0


def _finding_counts_of(run) -> dict:
    from align.run import finding_counts

    return finding_counts(f for s in run.translated for f in s.findings)


def _findings_line(counts: dict, run_dir: str) -> str:
    """``findings: 1 error, 2 warnings, 0 info (arabic-align check RUN_DIR lists them)``,
    ``run_dir`` as the user can type it."""
    if not counts["total"]:
        return "findings: none"
    return f"findings: {_severities(counts)} (arabic-align check {run_dir} lists them)"


def _severities(counts: dict) -> str:
    """``1 error, 2 warnings, 0 info``."""
    return (
        f"{_plural(counts['error'], 'error')}, {_plural(counts['warning'], 'warning')}, "
        f"{counts['info']} info"
    )


def _version() -> str:
    from importlib import metadata

    try:
        return metadata.version("arabic-align")
    except metadata.PackageNotFoundError:  # the sources on sys.path, never installed
        return "(not installed)"


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _quoted(text: str, span, most: int = 80) -> str:
    """The text of a span, quoted, cut to ``most`` characters."""
    piece = text[span[0] : span[1]]
    if len(piece) > most:
        piece = piece[: most - 1] + "…"
    return f"«{printable(piece)}»"


def cmd_check(args: argparse.Namespace) -> int:
    from align.run import Run, finding_counts, worst_first

    run = Run.open(args.run_dir)
    recorded = run.checked
    found = run.findings()  # checked now, in memory, when the records hold none
    notes = []  # (a recorded check's are in the run's manifest, as its other warnings)
    if not recorded:
        from align.checks.dictionary import without_dictionary

        if (note := without_dictionary()) is not None:
            _warn(note)
            notes.append(note)
    by_index = {s.index: s for s in run.translated}
    ordered = worst_first(found)
    counts = finding_counts(f for fs in found.values() for f in fs)
    counts["segments"] = len(ordered)
    if args.json:
        segments = []
        for index, findings in ordered:
            seg = by_index[index]
            rows = []
            for f in findings:
                row = f.to_json()
                row["src_text"] = seg.source[f.src[0] : f.src[1]] if f.src is not None else None
                row["tgt_text"] = (
                    (seg.hypothesis or "")[f.tgt[0] : f.tgt[1]] if f.tgt is not None else None
                )
                rows.append(row)
            segments.append({"index": index, "findings": rows})
        data = {
            "run": str(run.dir),
            "checked": "recorded" if recorded else "on demand",
            "warnings": notes,
            "segments": segments,
            "counts": counts,
        }
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    if not recorded:
        why = "made with --no-checks" if run.schema_version >= 3 else (
            f"schema {run.schema_version}, from before the checks"
        )  # fmt: skip
        _info(f"{args.run_dir}: its records hold no findings ({why}); checked now, "
              "nothing written")  # fmt: skip
    for index, findings in ordered:
        seg = by_index[index]
        for f in findings:
            where = [
                f"source {_quoted(seg.source, f.src)}" if f.src is not None else "",
                f"translation {_quoted(seg.hypothesis or '', f.tgt)}" if f.tgt is not None else "",
            ]
            spans = "; ".join(w for w in where if w)
            print(
                f"segment {index}: {f.severity} {printable(f.check)}/{printable(f.kind)}: "
                f"{printable(f.message)}" + (f" [{spans}]" if spans else "")
            )
    print(_check_summary(counts, len(ordered), len(run.translated)))
    return 0


def _check_summary(counts: dict, flagged: int, total: int) -> str:
    """The last line of ``check``: ``1 error, 2 warnings, 0 info in 2 of 54 translated
    segments``, or ``no findings in 54 translated segments``."""
    segments = _plural(total, "translated segment")
    if not counts["total"]:
        return f"no findings in {segments}"
    return f"{_severities(counts)} in {flagged} of {segments}"


def _extra_pairs(paths: list[str] | None) -> list[tuple[str, str]]:
    """Extra parallel text for the statistical aligner: two line-parallel files."""
    if not paths:
        return []
    from align.errors import MismatchError
    from align.text import line_end_note, read_lines, swapped

    ar, en = (
        read_lines(paths[0], "training Arabic file"),
        read_lines(paths[1], "training English file"),
    )
    if len(ar) != len(en):
        raise MismatchError(
            f"the training files differ in length: {paths[0]} has {_plural(len(ar), 'line')}, "
            f"{paths[1]} has {len(en):,}{line_end_note(*paths)}"
        )
    if swapped(ar, en):
        raise MismatchError(
            f"the training Arabic file {paths[0]} has no Arabic letter and the English one "
            f"{paths[1]} has some: the files look swapped; give the Arabic file first"
        )
    return list(zip(ar, en, strict=True))


def _priors(path: str | None, method: str, pretokenized: bool = False, background: bool = True):
    """Saved priors (``links --save-priors``), for the methods that use them, over the units
    the method cuts (a batch on a cluster would learn it only after translating)."""
    if path is None:
        return None
    if method not in ("statistical", "hybrid"):
        raise UserError(
            f"--priors are eflomal's, for the statistical and hybrid methods; the {method} "
            "method does not use them"
        )
    from align.links.priors import read_priors, require_units

    priors = read_priors(path, pretokenized)
    require_units(priors, method == "hybrid" and background)
    return priors


def _background(no_background: bool, method: str) -> bool:
    """Whether the aligner reads its background; ``--no-background`` where the method reads
    none (attention) would do nothing, and is refused."""
    if no_background and method == "attention":
        raise UserError(
            "--no-background is for the hybrid, statistical and lexical methods; the "
            "attention method reads no background"
        )
    return not no_background


def _dictionary(path: str | None):
    if path is None:
        return None
    from align.links.lexical import Dictionary

    return Dictionary.read(path)


def _check_links_options(args: argparse.Namespace) -> None:
    """The options of one method that another method would silently ignore are refused."""
    from align.links.statistical import DEFAULT_HEURISTIC, DEFAULT_RUNS

    method = args.method
    if args.symmetrize != DEFAULT_HEURISTIC and method != "statistical":
        raise UserError(f"--symmetrize joins the statistical method's two directions; the "
                        f"{method} method does not use it")  # fmt: skip
    if args.runs != DEFAULT_RUNS and method not in ("statistical", "hybrid"):
        raise UserError(f"--runs counts eflomal's runs, for the statistical and hybrid "
                        f"methods; the {method} method does not use it")  # fmt: skip
    if args.model is not None and method not in ("attention", "hybrid"):
        raise UserError(f"--model lends its attention to the hybrid and attention methods; "
                        f"the {method} method does not use it")  # fmt: skip
    if args.pretokenized and method == "attention":
        raise UserError("--pretokenized keeps the tokens as given, and the attention method "
                        "splits the text into its model's own words instead; use another "
                        "method with it")  # fmt: skip
    if args.device != "auto" and args.model is None and method != "attention":
        raise UserError("--device places the model, and only --model or the attention method "
                        "loads one; leave it out")  # fmt: skip


def cmd_links(args: argparse.Namespace) -> int:
    from align.errors import MismatchError
    from align.links.methods import make_aligner, too_long
    from align.records import atomic_write_files, check_output_file, json_line
    from align.text import line_end_note, read_lines, swapped

    _check_method_options(args.method, "--train", args.train, args.dictionary)
    _check_links_options(args)
    if args.save_priors and not args.train:
        raise UserError("--save-priors saves what eflomal learns from --train AR EN: give --train")
    if args.save_priors and args.method not in ("statistical", "hybrid"):
        raise UserError(
            f"--save-priors saves eflomal's priors, for the statistical and hybrid methods; "
            f"the {args.method} method does not use them"
        )
    inputs = [("Arabic file", args.src), ("English file", args.tgt),
              ("dictionary", args.dictionary), ("priors file", args.priors),
              *_train_inputs(args.train)]  # fmt: skip
    folders = [("model directory", args.model)]
    check_output_file(Path(args.out), "--out", inputs, folders)
    written = [("--out file", args.out)]
    for option, path in (("--json", args.json), ("--save-priors", args.save_priors)):
        if path:
            check_output_file(Path(path), option, [*inputs, *written], folders)
            written.append((f"{option} file", path))
    priors = _priors(args.priors, args.method, args.pretokenized, not args.no_background)
    src = read_lines(args.src, "Arabic file")
    tgt = read_lines(args.tgt, "English file")
    if len(src) != len(tgt):
        raise MismatchError(
            f"{args.src} has {_plural(len(src), 'line')} but {args.tgt} has {len(tgt):,}: "
            f"the files must be line-parallel{line_end_note(args.src, args.tgt)}."
        )
    if swapped(src, tgt):
        raise MismatchError(
            f"the Arabic file (--src) {args.src} has no Arabic letter and the English file "
            f"(--tgt) {args.tgt} has some: the files look swapped; give the Arabic as --src"
        )
    for n, (s, t) in enumerate(zip(src, tgt, strict=True), 1):
        reason = too_long(s, t)
        if reason:
            raise UserError(f"line {n}: {reason}; split the line into sentences")
    extra = _extra_pairs(args.train)  # (before the model: a mistake here is said at once)
    from align.links.background import background_for

    # (after the inputs: the dictionary takes seconds to read the first time)
    background = background_for(args.method, _background(args.no_background, args.method))
    attention = None
    if args.model is not None or args.method == "attention":
        from align.links.attention import AttentionAligner
        from align.model.load import load_marian
        from align.model.registry import DEFAULT_MODEL

        loaded = load_marian(args.model or DEFAULT_MODEL, args.device)
        if loaded.fixture:
            from align.model.fixture import RANDOM_ATTENTION

            _warn(f"{args.model or DEFAULT_MODEL} is a {RANDOM_ATTENTION}")
        for message in loaded.warnings:  # weights left out, as run says them
            _warn(message)
        attention = AttentionAligner(loaded)
        if args.method == "attention":  # the model's own limit, in pieces
            for n, (s, t) in enumerate(zip(src, tgt, strict=True), 1):
                reason = attention.too_long(s, t)
                if reason:
                    raise UserError(f"line {n}: {reason}; split the line into sentences")
    if args.save_priors:
        from align.links.priors import save_priors, train_priors
        from align.links.training import splitting_morphology

        # units as the aligner that reads them cuts words: with its background's lexicon
        learned = train_priors(
            extra, args.pretokenized, args.runs, morphology=splitting_morphology(background)
        )
        save_priors(learned, Path(args.save_priors))
        trained = learned.record["pairs"]
        left = len(extra) - trained
        said = f" ({left} left out: an empty side or too long)" if left else ""
        pairs = _plural(trained, "training pair")
        print(f"wrote {printable(args.save_priors)}: priors of {pairs}{said}")
    aligner = make_aligner(
        args.method, extra=extra, attention=attention,
        dictionary=_dictionary(args.dictionary), pretokenized=args.pretokenized,
        runs=args.runs, symmetrize=args.symmetrize, background=background, priors=priors,
    )  # fmt: skip
    alignments = aligner.align(list(zip(src, tgt, strict=True)))
    for k, reason in sorted(aligner.reasons.items()):  # an aligner's own limit (eflomal's)
        _warn(f"line {k + 1} is not aligned (an empty line of links): {reason}")
    lines = [a.word_pharaoh() for a in alignments]
    written = {Path(args.out): "".join(line + "\n" for line in lines)}
    if args.json:
        written[Path(args.json)] = "".join(json_line(a.to_json()) + "\n" for a in alignments)
    atomic_write_files(written)  # both or neither: a full disk never leaves a mixed pair
    n_links = sum(len(line.split()) for line in lines)
    used = [r["name"] for r in background.records] if background is not None else []
    used += ["priors " + args.priors] if args.priors else []
    print(
        f"wrote {printable(args.out)}: {_plural(n_links, 'link')} over "
        f"{_plural(len(lines), 'pair')} ({aligner.method}"
        + (f"; background: {printable(', '.join(used))}" if used else "")
        + ")"
    )
    return 0


def _train_inputs(train: list[str] | None) -> list[tuple[str, str]]:
    return (
        [("training Arabic file", train[0]), ("training English file", train[1])] if train else []
    )


def cmd_eval_links(args: argparse.Namespace) -> int:
    from align.errors import MismatchError
    from align.links.evaluate import link_scores, read_pharaoh
    from align.text import line_end_note

    gold, predicted = (
        read_pharaoh(args.gold, "gold file"),
        read_pharaoh(args.pred, "predicted file"),
    )
    if len(gold) != len(predicted):
        raise MismatchError(
            f"the gold file {args.gold} has {len(gold):,} line{'' if len(gold) == 1 else 's'} "
            f"but the predicted file {args.pred} has {len(predicted):,}: give one line of "
            f"links per sentence pair in both{line_end_note(args.gold, args.pred)}"
        )
    if not any(g.sure for g in gold):
        raise UserError(
            f"the gold file {args.gold} has no sure links (i-j): recall and AER are measured "
            "against sure links, so there is nothing to score; mark the links you are certain "
            "of as sure"
        )
    scores = link_scores(gold, predicted)
    if args.json:
        print(json.dumps(scores.to_json(), indent=2))
    else:
        print(
            f"AER {scores.aer:.4f}  precision {scores.precision:.4f}  recall {scores.recall:.4f}  "
            f"F1 {scores.f1:.4f}  ({_plural(scores.predicted, 'link')} predicted; gold: "
            f"{scores.sure:,} sure, {scores.possible:,} possible, sure included; "
            f"{_plural(scores.pairs, 'pair')})"
        )
    return 0


def cmd_score(args: argparse.Namespace) -> int:
    from align.errors import MismatchError
    from align.score.metrics import check_scorable, corpus_scores
    from align.text import line_end_note, read_article, read_lines

    if args.ref_layout == "lines" and args.write_aligned:
        raise UserError("--write-aligned is for --ref-layout document")
    prefix = args.write_aligned
    if prefix:
        _check_prefix(prefix, [("hypothesis file", args.hyp), ("reference file", args.ref)])
    hyps = read_lines(args.hyp, "hypothesis file")
    check_scorable(hyps, f"hypothesis file {args.hyp}")
    if args.ref_layout == "lines":
        refs = read_lines(args.ref, "reference file")
        if len(refs) != len(hyps):
            raise MismatchError(
                f"{args.hyp} has {len(hyps):,} line{'' if len(hyps) == 1 else 's'} but "
                f"{args.ref} has {len(refs):,}: give one reference line per hypothesis line, "
                f"or --ref-layout document{line_end_note(args.hyp, args.ref)}"
            )
        check_scorable(refs, f"reference file {args.ref}")
        docal = None
    else:
        from align.records import atomic_write_files, lines_file
        from align.score.docalign import align_documents, reference_sentences

        sentences = reference_sentences(read_article(args.ref, "reference file"))
        check_scorable(sentences, f"reference file {args.ref}", unit="sentence")
        docal = align_documents(
            hyps, sentences, hyp_names=("hypothesis line", range(1, len(hyps) + 1))
        )
        for note in docal.notes:
            _warn(f"reference alignment: {note}")
        hyps, refs = docal.pairs(hyps, sentences)
        if not hyps:
            raise UserError("No hypothesis segment could be paired with the reference.")
        # A pair joins segments (or sentences): said as a pair, not as a line of the file.
        check_scorable(hyps, "hypotheses as paired with the reference sentences", unit="pair")
        check_scorable(refs, "reference as paired with the hypotheses", unit="pair")
        if prefix:
            beads = {**docal.to_json(), "reference_texts": sentences}
            beads_text = json.dumps(beads, indent=1, ensure_ascii=False) + "\n"
            atomic_write_files({  # all three or none: a full disk never leaves a mixed set
                Path(prefix + ".hyp.txt"): lines_file(hyps),
                Path(prefix + ".ref.txt"): lines_file(refs),
                Path(prefix + ".beads.json"): beads_text,
            })  # fmt: skip
    scores = corpus_scores(hyps, refs)
    if args.json:
        # One shape for both layouts: the metrics at the top ("bleu", "chrf", "ter"), and for
        # a document reference what its alignment found beside them.
        out = dict(scores)
        if docal is not None:
            out["document_alignment"] = {k: v for k, v in docal.to_json().items() if k != "beads"}
        print(json.dumps(out, indent=2))
    else:
        if docal is not None:
            d = docal
            print(
                f"reference alignment: {len(hyps)} pairs from {d.n_hyp} segments and "
                f"{d.n_ref} reference sentences; mean chrF {d.mean_similarity:.3f} "
                f"(unrelated {d.unrelated:.3f}); hypothesis lines without reference: "
                f"{[k + 1 for k in d.unmatched_hyp] or 'none'}; reference sentences unused "
                f"(from 1): {[k + 1 for k in d.unmatched_ref] or 'none'}"
            )
        for entry in scores.values():
            print(f"{entry['text']}\n  {entry['signature']}")
    return 0


ALIGNED_SUFFIXES = (".hyp.txt", ".ref.txt", ".beads.json")


def _check_prefix(prefix: str, inputs: list[tuple[str, str]]) -> None:
    """``--write-aligned PREFIX`` names files PREFIX.hyp.txt...: a prefix that is a folder
    (or ends with a path separator) would write hidden files, so it is refused."""
    from align.records import check_output_file

    name = os.path.basename(prefix)
    if not name or prefix.endswith(("/", os.sep)) or Path(prefix).is_dir():
        raise UserError(
            f"--write-aligned {prefix} is a folder; give a file prefix inside it, such as "
            f"{os.path.join(prefix, 'aligned')}"
        )
    written: list[tuple[str, str]] = []
    for suffix in ALIGNED_SUFFIXES:
        check_output_file(Path(prefix + suffix), "--write-aligned", [*inputs, *written])
        written.append(("--write-aligned file", prefix + suffix))


def cmd_compare(args: argparse.Namespace) -> int:
    from align.score.compare import compare_inputs, format_text, load_inputs

    result = compare_inputs(
        load_inputs(args.systems), ref=args.ref, ref_layout=args.ref_layout,
        bootstrap=args.bootstrap, randomization=args.randomization,
    )  # fmt: skip
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return 0
    # system names come from file and folder names, n-grams from the texts: each line is
    # shown as ``printable`` shows a message (no control or bidi character reaches the
    # terminal), a line break inside a name too (escaped before the lines are cut)
    text = format_text(_no_line_breaks(result))
    print("\n".join(printable(line) for line in text.split("\n")))
    return 0


def _no_line_breaks(data):
    """``data`` with every line feed of its strings (keys too) written as ``printable``
    writes it, so that a name holding one stays on its line of a table."""
    if isinstance(data, str):
        return data.replace("\n", printable("\n"))
    if isinstance(data, dict):
        return {_no_line_breaks(k): _no_line_breaks(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return type(data)(_no_line_breaks(x) for x in data)
    return data


def cmd_report(args: argparse.Namespace) -> int:
    from align.records import RUN_FILES, check_output_file
    from align.report.html import render_report

    if not args.compare and (args.ref is not None or args.ref_layout != "lines"):
        raise UserError(
            "--ref and --ref-layout are for --compare; the report of one run shows the "
            "reference the run was made with"
        )
    inputs = [("reference file", args.ref)]
    inputs += [("compared hypothesis file", p) for p in args.compare or []]
    check_output_file(Path(args.output), "-o", inputs)
    # A hard link to a run's file is that file, refused as it is by its own name (above):
    # the report's run, and each run compared with it.
    runs = [Path(args.run_dir), *(Path(p) for p in args.compare or () if Path(p).is_dir())]
    run_files = [("file of the run", run / name) for run in runs for name in RUN_FILES]
    check_output_file(Path(args.output), "-o", run_files)
    comparison = None
    if args.compare:
        from align.score.compare import compare_systems, load_system

        systems = [load_system(p) for p in [args.run_dir, *args.compare]]
        comparison = compare_systems(systems, ref=args.ref, ref_layout=args.ref_layout)
    path = render_report(Path(args.run_dir), Path(args.output), compare=comparison)
    print(f"wrote {printable(str(path))}")
    return 0


def _has_terminal() -> bool:
    """Whether the review app has a terminal: it reads keys from stdin and draws on the
    process's own stderr (Textual's driver), so stdout may be redirected."""
    streams = (sys.stdin, sys.__stderr__)
    return all(s is not None and s.isatty() for s in streams)


def cmd_review(args: argparse.Namespace) -> int:
    from align.review.state import ReviewState

    if args.only_reviewed and not args.export:
        raise UserError("--only-reviewed chooses what --export writes; give --export DIR")
    # The session that edits holds the run's review; an export only reads it.
    state = ReviewState.open(args.run_dir, hold=not args.export)
    if state.torn:
        _warn(f"review journal: {state.torn}")
    for note in state.notes:
        _warn(f"review: {note}")
    if args.export:
        from align.review.export import export

        # An export only reads the review: the run directory is left as it was found.
        try:
            paths = export(state, args.export, only_reviewed=args.only_reviewed)
        finally:
            state.release()
        print(f"wrote {printable(', '.join(str(p) for p in paths))}")
        return 0
    from align.records import check_output_dir
    from align.review.app import ReviewApp

    try:
        if not _has_terminal():  # (said before the folder is tried for writing)
            raise UserError(
                "review is a terminal app and needs a terminal to run in; to write the "
                "reviewed records without one, pass --export DIR"
            )
        check_output_dir(Path(args.run_dir), "the run directory")  # the review is saved there
    except UserError:
        state.release()
        raise

    from align.review.display import detect

    app = ReviewApp(state, display=detect(terminal_bidi=args.terminal_bidi))
    app.run()
    if app.close_error is not None:
        raise app.close_error
    return 0


def cmd_batch(args: argparse.Namespace) -> int:
    from align.batch import BatchSettings, read_inputs, run_batch

    ray_only = [
        option
        for option, given in (
            ("--ray-address", args.ray_address is not None),
            ("--ray-timeout", args.ray_timeout != RAY_TIMEOUT),
            ("--workers", args.workers != RAY_WORKERS),
        )
        if given
    ]
    if ray_only and args.executor != "ray":  # a cluster meant, and a local run done unsaid
        raise UserError(f"{ray_only[0]} is for --executor ray; give that too, or leave it out")
    articles = read_inputs(args.input)
    settings = BatchSettings(
        model=args.model, num_beams=args.beams, max_new_tokens=args.max_new_tokens,
        engine=args.engine, quantization=args.quantization,
        align_method=args.align_method, ref_layout=args.ref_layout, device=args.device,
        background=_background(args.no_background, args.align_method), priors=args.priors,
        checks=not args.no_checks,
        cache=not args.no_cache,
    )  # fmt: skip
    if args.priors is not None:
        # a bad file, or one of other units, is one sentence before any work
        _priors(args.priors, args.align_method, background=not args.no_background)
    rows, corpus = run_batch(
        articles, args.out, settings, executor=args.executor, force=args.force, quiet=args.quiet,
        ray_address=args.ray_address, ray_timeout=args.ray_timeout, workers=args.workers,
        log=_info, warn=_warn, sources=[args.input] if Path(args.input).is_file() else [],
    )  # fmt: skip
    print("| article | status | segments | BLEU | chrF++ | TER | findings (E/W/I) |\n"
          "|---|---|---|---|---|---|---|")  # fmt: skip
    totals = {"error": 0, "warning": 0, "info": 0}
    checked = 0
    for row in rows:
        sc = row["scores"] or {}
        cells = [f"{sc[k]:.2f}" if k in sc else "–" for k in ("bleu", "chrf", "ter")]
        status = row["status"] if not row["error"] else f"failed: {printable(row['error'])}"
        found = row.get("findings")
        if isinstance(found, dict):
            checked += 1
            totals = {k: v + found.get(k, 0) for k, v in totals.items()}
            cells.append("/".join(str(found.get(k, 0)) for k in totals))
        else:
            cells.append("–")
        print(f"| {row['id']} | {status} | {row['segments'] or '–'} | {' | '.join(cells)} |")
    if checked:
        where = printable(shlex.quote(str(Path(args.out) / "ARTICLE")))
        print(f"{_findings_line({**totals, 'total': sum(totals.values())}, where)} in "
              f"{_plural(checked, 'checked article')}")  # fmt: skip
    if corpus.get("corpus"):
        print(
            f"corpus over {corpus['articles_scored']} scored article(s), {corpus['pairs']} pairs:"
        )
        for entry in corpus["corpus"].values():
            print(f"  {entry['text']}\n    {entry['signature']}")
    failed = [r for r in rows if r["status"] == "failed"]
    if failed:
        print(f"{PROG}: {len(failed)} of {len(rows)} article(s) failed (see summary.jsonl)",
              file=sys.stderr)  # fmt: skip
        return 1
    return 0


def cmd_models_fixture(args: argparse.Namespace) -> int:
    from align.model.fixture import GIBBERISH, build_fixture
    from align.records import check_outside_reads

    check_outside_reads(Path(args.dir), "the fixture folder")  # never into the tool's cache
    path = build_fixture(args.dir, size=args.size, seed=args.seed)
    print(f"wrote {args.size} fixture model to {printable(str(path))}")
    _warn(f"this is a {GIBBERISH}")
    return 0


# Upper limits of the numeric options: beyond them a run would only exhaust memory or time
# (a beam of thousands, millions of resamples), so they are refused with the limit named.
# (The beam's is the settings' own, ``align.translate.base.MAX_BEAMS``.)
MAX_TOKENS = 100_000
MAX_WORKERS = 1024
MAX_SEED = 2**32 - 1
MAX_RAY_TIMEOUT = 3600.0


def _whole(lo: int, hi: int) -> Callable[[str], int]:
    def parse(value: str) -> int:
        text = value.strip()
        if not re.fullmatch(r"[+-]?[0-9]{1,30}", text):  # ASCII digits: int() takes ٣ too
            raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}")
        number = int(text)
        if not lo <= number <= hi:
            raise argparse.ArgumentTypeError(
                f"expected a whole number from {lo:,} to {hi:,}, got {value!r}"
            )
        return number

    return parse


_positive = _whole(1, MAX_TOKENS)


def _seconds(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not 0 < number <= MAX_RAY_TIMEOUT:  # NaN fails too
        raise argparse.ArgumentTypeError(
            f"expected seconds above 0 and at most {MAX_RAY_TIMEOUT:g}, got {value!r}"
        )
    return number


MT_ENGINES = ("auto", "transformers", "ctranslate2")
EXECUTORS = ("local", "ray")
RAY_TIMEOUT = 60.0  # seconds to start or reach a Ray cluster
RAY_WORKERS = 2  # Ray actors, one model each


def _batch_engine(value: str) -> str:
    """batch's --engine names the translation engine, as run's does; local and ray, the
    executors, are chosen with --executor, and naming them here says so."""
    if value in EXECUTORS:
        raise argparse.ArgumentTypeError(
            f"the batch executor is now --executor local|ray (--executor {value}); --engine "
            f"chooses the translation engine: {', '.join(MT_ENGINES)}"
        )
    return _text(value)


# The names --mt-engine took, as --engine spells them.
_OLD_ENGINE_NAMES = {"ct2": "ctranslate2", "hf": "transformers"}


def _old_mt_engine(value: str) -> str:
    engine = _OLD_ENGINE_NAMES.get(value, value)
    use = f"--engine {engine}" if engine in MT_ENGINES else f"--engine {'|'.join(MT_ENGINES)}"
    raise argparse.ArgumentTypeError(
        f"the translation engine is now chosen with --engine: use {use}"
    )


def _text(value: str) -> str:
    """A string option or argument: a path, an id, a name. Empty (``--export ""``) or with
    a NUL byte, it cannot name anything, so it is refused instead of silently ignored."""
    if not value or "\0" in value:
        raise argparse.ArgumentTypeError(f"expected a non-empty value, got {value!r}")
    return value


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """``--help`` that shows each option's default where it says something (not None or
    False: an option that is off or unset says what it does in its own words), and never
    breaks a path or a model id at its hyphens. Descriptions keep their paragraphs."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        default = action.default
        shown = not (default is None or default is False or default == argparse.SUPPRESS)
        if action.option_strings and shown and "%(default)" not in text:
            text = f"{text} (default: %(default)s)".lstrip()
        return text

    def _split_lines(self, text: str, width: int) -> list[str]:
        import textwrap

        return textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False)


def _describe(*paragraphs: str) -> str:
    """A command's description for --help: paragraphs, each wrapped to 79 columns."""
    import textwrap

    return "\n\n".join(textwrap.fill(" ".join(p.split()), 79) for p in paragraphs)


class _Parser(argparse.ArgumentParser):
    """argparse, with its errors as one sentence (no usage block) and exit status 2, every
    string value checked by ``_text``, and defaults in --help (``_HelpFormatter``)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(*args, **kwargs)

    def add_argument(self, *args, **kwargs):
        if kwargs.get("action") in (None, "store") and "type" not in kwargs:
            kwargs["type"] = _text
        return super().add_argument(*args, **kwargs)

    def error(self, message: str):
        self.exit(2, f"{PROG}: error: {printable(message)} (see {self.prog} --help)\n")


def _command(sub, name: str, summary: str, *details: str) -> argparse.ArgumentParser:
    """A subcommand: ``summary`` in the list of commands, and with ``details`` its
    description in its own --help."""
    return sub.add_parser(
        name, help=summary, description=_describe(summary[0].upper() + summary[1:] + ".", *details)
    )


DEVICES = ("auto", "cpu", "cuda")


def build_parser() -> argparse.ArgumentParser:
    # Imported here, not at the top: the console script's first moments stay short, so a
    # Ctrl-C then still lands where ``entry`` handles it.
    from align.links.methods import DEFAULT_METHOD, METHODS
    from align.links.statistical import DEFAULT_HEURISTIC, DEFAULT_RUNS, MAX_RUNS
    from align.links.symmetrize import HEURISTICS
    from align.model.registry import DEFAULT_MODEL
    from align.score.compare import MAX_BOOTSTRAP, MAX_RANDOMIZATION
    from align.score.docalign import LAYOUTS

    parser = _Parser(
        prog=PROG, description="Arabic→English translation, alignment and scoring.",
        epilog=f"{PROG} COMMAND --help shows a command's arguments and options.",
    )  # fmt: skip
    parser.add_argument("--version", action="version", version=f"{PROG} {_version()}")
    sub = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", help="one of the commands below"
    )  # fmt: skip
    model_help = f"hub id or local model directory (default: {DEFAULT_MODEL})"
    beams_help = "beam size of the translation's beam search"
    tokens_help = (
        "fixed cap on the new tokens of a translated segment (default: twice its source "
        "tokens plus 10, within the model's maximum length)"
    )
    quantization_help = (
        "ctranslate2 compute type, such as int8, int8_float16, float16 or float32 (default: "
        "int8 on CPU, float16 on CUDA)"
    )
    device_help = "auto: cuda when torch sees a CUDA device, else cpu"
    engine_help = "auto: ctranslate2 when it is installed, else transformers"
    method_help = (
        "how segments are word-aligned: hybrid (eflomal, dictionary and model attention "
        "combined), statistical (eflomal), lexical (dictionary) or attention (the model's)"
    )
    ref_layout_help = (
        "lines: the reference has one line per segment to translate; document: any "
        "segmentation (sentences or paragraphs), aligned to the segments before scoring"
    )

    p = _command(sub, "segment", "print an article's segments as JSONL")
    p.add_argument("file", metavar="FILE", help="an Arabic article, UTF-8 (BOM and CRLF accepted)")
    p.set_defaults(func=cmd_segment)

    p = _command(
        sub, "run", "segment, translate, align and score one article",
        "Writes a run directory (--out): segments, translation, word links, scores and a "
        "manifest. A fixture model (models fixture) says so: its output is gibberish.",
    )  # fmt: skip
    p.add_argument("article", metavar="ARTICLE", help="an Arabic article, UTF-8")
    p.add_argument("--ref", help="reference translation, scored against (see --ref-layout)")
    p.add_argument(
        "--ref-layout", choices=LAYOUTS, default=None,
        help=f"layout of --ref: {ref_layout_help} (default: lines)",
    )  # fmt: skip
    p.add_argument(
        "--hyp",
        help="a translation made elsewhere (see --hyp-layout): it is aligned and scored "
        "instead of translating (no model is loaded unless --model is given)",
    )
    p.add_argument(
        "--hyp-layout", choices=LAYOUTS, default=None,
        help="layout of --hyp: lines, one line per segment to translate; document, any "
        "segmentation (sentences or paragraphs), its sentences brought to the segments by "
        "length (default: lines)",
    )  # fmt: skip
    p.add_argument("--model", default=None, help=model_help)
    p.add_argument("--out", required=True, help="run directory to write (required)")
    p.add_argument("--force", action="store_true", help="overwrite an existing run directory")
    p.add_argument("--beams", type=_whole(1, MAX_BEAMS), default=4, help=beams_help)
    p.add_argument("--max-new-tokens", type=_positive, default=None, help=tokens_help)
    p.add_argument(
        "--batch-tokens", type=_positive, default=1024,
        help="padded source tokens in one translation batch; ctranslate2's batches that run "
        "side by side share it, at least 512 each (changes speed, not output)",
    )  # fmt: skip
    p.add_argument("--device", choices=DEVICES, default="auto", help=device_help)
    p.add_argument("--no-progress", action="store_true", help="no progress bars")
    p.add_argument("--engine", choices=MT_ENGINES, default="auto", help=engine_help)
    p.add_argument("--quantization", default=None, help=quantization_help)
    threads = _whole(1, MAX_THREADS)
    p.add_argument(
        "--inter-threads", type=threads, default=None,
        help="ctranslate2 batches translated at once (default: the usable cores, at most 4, "
        "or the cores / --intra-threads; 1 on CUDA)",
    )  # fmt: skip
    p.add_argument(
        "--intra-threads", type=threads, default=None,
        help="ctranslate2 threads per batch (default: the usable cores / --inter-threads)",
    )  # fmt: skip
    p.add_argument("--no-cache", action="store_true", help="bypass the translation cache")
    p.add_argument("--align-method", choices=METHODS, default=DEFAULT_METHOD, help=method_help)
    p.add_argument(
        "--align-train", nargs=2, metavar=("AR", "EN"),
        help="extra line-parallel text for the statistical and hybrid aligners to learn from",
    )  # fmt: skip
    p.add_argument(
        "--dictionary",
        help="bilingual dictionary, 'arabic<TAB>english' lines, for the lexical and hybrid "
        "aligners",
    )
    _knowledge_options(p)
    _checks_option(p)
    p.set_defaults(func=cmd_run)

    p = _command(sub, "links", "word-align line-parallel Arabic and English files")
    p.add_argument("--src", required=True, help="Arabic, one segment a line (required)")
    p.add_argument("--tgt", required=True, help="English, one segment a line (required)")
    p.add_argument("--out", required=True, help="Pharaoh file to write (i-j, i Arabic) (required)")
    p.add_argument(
        "--pretokenized", action="store_true",
        help="tokens are the whitespace-separated ones given (any Unicode space, as "
        "str.split takes them); Pharaoh indices refer to them",
    )  # fmt: skip
    p.add_argument(
        "--train", nargs=2, metavar=("AR", "EN"),
        help="extra line-parallel text for the statistical and hybrid methods to learn from",
    )  # fmt: skip
    p.add_argument("--method", choices=METHODS, default=DEFAULT_METHOD, help=method_help)
    p.add_argument(
        "--model", default=None,
        help="translation model whose attention is used (default: none, except "
        f"{DEFAULT_MODEL} for --method attention)",
    )  # fmt: skip
    p.add_argument("--device", choices=DEVICES, default="auto", help=device_help)
    p.add_argument(
        "--dictionary",
        help="bilingual dictionary, 'arabic<TAB>english' lines, for the lexical and hybrid methods",
    )
    p.add_argument(
        "--runs", type=_whole(1, MAX_RUNS), default=DEFAULT_RUNS,
        help="eflomal runs averaged",
    )  # fmt: skip
    p.add_argument(
        "--symmetrize", choices=list(HEURISTICS), default=DEFAULT_HEURISTIC,
        help="how the statistical method joins its two directions",
    )  # fmt: skip
    p.add_argument("--json", help="also write JSONL with units, offsets, links and spans")
    _knowledge_options(p)
    p.add_argument(
        "--save-priors", metavar="FILE",
        help="also save what eflomal learns from --train, for --priors on later runs",
    )  # fmt: skip
    p.set_defaults(func=cmd_links)

    p = _command(sub, "eval-links", "AER, precision, recall and F1 of Pharaoh links")
    p.add_argument(
        "--gold", required=True, help="gold Pharaoh file: i-j sure, i?j possible (required)"
    )
    p.add_argument("--pred", required=True, help="predicted Pharaoh file (required)")
    p.add_argument("--json", action="store_true", help="print the scores as JSON")
    p.set_defaults(func=cmd_eval_links)

    p = _command(sub, "score", "sacrebleu BLEU, chrF++ and TER of line-parallel files")
    p.add_argument("--hyp", required=True, help="translation, one segment a line (required)")
    p.add_argument("--ref", required=True, help="reference (see --ref-layout) (required)")
    p.add_argument(
        "--ref-layout", choices=LAYOUTS, default="lines",
        help="lines: line-parallel to --hyp; document: any segmentation, aligned first",
    )  # fmt: skip
    p.add_argument(
        "--write-aligned", metavar="PREFIX",
        help="with --ref-layout document: write PREFIX.hyp.txt, PREFIX.ref.txt (the scored "
        "pairs) and PREFIX.beads.json",
    )  # fmt: skip
    p.add_argument("--json", action="store_true", help="print the scores as JSON")
    p.set_defaults(func=cmd_score)

    p = _command(sub, "compare", "systems side by side, with significance tests")
    p.add_argument(
        "systems", nargs="+", metavar="[NAME=]SYSTEM",
        help="run directories or hypothesis files, or batch folders (compared article by "
        "article and in total); the first is the baseline; NAME names it in the tables (a "
        "path that exists is a path, '=' and all)",
    )  # fmt: skip
    p.add_argument("--ref", help="reference (default: the first run's)")
    p.add_argument(
        "--ref-layout", choices=LAYOUTS, default="lines", help="layout of --ref: " + ref_layout_help
    )
    p.add_argument(
        "--bootstrap", type=_whole(1, MAX_BOOTSTRAP), default=1000,
        help=f"bootstrap resamples (at most {MAX_BOOTSTRAP:,})",
    )  # fmt: skip
    p.add_argument(
        "--randomization", type=_whole(1, MAX_RANDOMIZATION), default=10000,
        help=f"approximate randomization trials (at most {MAX_RANDOMIZATION:,})",
    )  # fmt: skip
    p.add_argument("--json", action="store_true", help="print the comparison as JSON")
    p.set_defaults(func=cmd_compare)

    p = _command(sub, "report", "a self-contained HTML report of a run")
    p.add_argument("run_dir", metavar="RUN_DIR", help="a run directory (written by run or batch)")
    p.add_argument("--compare", nargs="+", metavar="OTHER_RUN", help="runs to compare with")
    p.add_argument("-o", "--output", required=True, help="HTML file to write (required)")
    p.add_argument("--ref", help="reference for the comparison (default: the run's)")
    p.add_argument(
        "--ref-layout", choices=LAYOUTS, default="lines", help="layout of --ref: " + ref_layout_help
    )
    p.set_defaults(func=cmd_report)

    p = _command(
        sub, "check", "list a run's translation findings, worst first",
        "The findings of the translation checks (numbers, names, untranslated words, "
        "repetitions, length, omissions, additions: docs/checks.md in the project source), by "
        "segment, the segment with the worst finding first; each line gives the segment, the "
        "severity, the check/kind, what is wrong and the source and translation text it is "
        "about. A run whose records hold no findings (made before the checks, or with "
        "--no-checks) is checked now from its records; nothing is written. The exit status is 0"
        " whether or not there are findings (the counts say how many); 2 when the run cannot be"
        " read.",
    )  # fmt: skip
    p.add_argument("run_dir", metavar="RUN_DIR", help="a run directory (written by run or batch)")
    p.add_argument(
        "--json", action="store_true",
        help="print {segments: [{index, findings}], counts} as JSON",
    )  # fmt: skip
    p.set_defaults(func=cmd_check)

    p = _command(sub, "review", "check and correct a run's alignments (terminal app)")
    p.add_argument(
        "run_dir", metavar="RUN_DIR",
        help="a run directory (written by run or batch); the review is saved in it",
    )  # fmt: skip
    p.add_argument(
        "--terminal-bidi", action=argparse.BooleanOptionalAction, default=None,
        help="the terminal reorders and joins Arabic itself: send it logical text "
        "(--no-terminal-bidi: the app does it); default: detected from the environment",
    )  # fmt: skip
    p.add_argument("--export", metavar="DIR", help="write the exports to DIR and exit")
    p.add_argument("--only-reviewed", action="store_true", help="export accepted/flagged only")
    p.set_defaults(func=cmd_review)

    p = _command(
        sub, "batch", "translate, align and score many articles (resumable)",
        "Writes one run directory per article in --out (OUT/ID/, as run writes it), with "
        "summary.jsonl, corpus.json and batch.json. A job stopped at any moment and started "
        "again skips the complete runs and ends as one uninterrupted job.",
        "INPUT is a folder, a glob or a manifest. In a folder, the .txt files are the "
        "articles; an article's id is its file name up to the first dot. NAME.en.txt is not "
        "an article: it is the reference of the article NAME.ar.txt (or NAME.txt) beside it, "
        "read as --ref-layout says, and a NAME.en.txt without its article is an error. An "
        "article without a NAME.en.txt has no reference and is not scored.",
        "A glob (quote it) takes every file it matches as an article, without references. A "
        'manifest (a file ending in .jsonl or .ndjson) has one {"id": ..., "path": ...} '
        'object a line, with optional "reference", "hyp" (a translation made elsewhere: '
        'aligned and scored, not translated) and "hyp_layout" (lines or document); its '
        "paths are relative to its folder.",
    )  # fmt: skip
    p.add_argument(
        "input", metavar="INPUT",
        help="a folder of .txt articles (NAME.en.txt: the reference of NAME.ar.txt), a "
        "glob, or a .jsonl (.ndjson) manifest",
    )  # fmt: skip
    p.add_argument(
        "--out", required=True, help="folder for one run directory per article (required)"
    )
    p.add_argument(
        "--model", default=None,
        help=f"hub id or local model directory (default: {DEFAULT_MODEL}; none is loaded when "
        "every article of a manifest comes with its translation, unless given)",
    )  # fmt: skip
    p.add_argument("--beams", type=_whole(1, MAX_BEAMS), default=4, help=beams_help)
    p.add_argument("--max-new-tokens", type=_positive, default=None, help=tokens_help)
    p.add_argument(
        "--engine", type=_batch_engine, choices=MT_ENGINES, default="auto", help=engine_help
    )
    p.add_argument("--mt-engine", type=_old_mt_engine, help=argparse.SUPPRESS)
    p.add_argument("--quantization", default=None, help=quantization_help)
    p.add_argument("--align-method", choices=METHODS, default=DEFAULT_METHOD, help=method_help)
    p.add_argument("--ref-layout", choices=LAYOUTS, default="lines", help=ref_layout_help)
    p.add_argument("--device", choices=DEVICES, default="auto", help=device_help)
    p.add_argument(
        "--executor", choices=EXECUTORS, default="local",
        help="local: this process; ray: a Ray cluster (--ray-address, else local)",
    )  # fmt: skip
    p.add_argument(
        "--ray-address", default=None,
        help="address of an existing Ray cluster (default: start a local one)",
    )  # fmt: skip
    p.add_argument(
        "--ray-timeout", type=_seconds, default=RAY_TIMEOUT,
        help="seconds to start or reach the Ray cluster before giving up",
    )  # fmt: skip
    p.add_argument(
        "--workers", type=_whole(1, MAX_WORKERS), default=RAY_WORKERS,
        help="Ray actors, one model each (--executor ray)",
    )  # fmt: skip
    p.add_argument("--force", action="store_true", help="start over in a folder of other runs")
    p.add_argument("--quiet", action="store_true", help="log lines instead of progress bars")
    p.add_argument(
        "--no-cache", action="store_true",
        help="bypass the translation cache (a read-only or unusable one, say)",
    )  # fmt: skip
    _knowledge_options(p)
    _checks_option(p)
    p.set_defaults(func=cmd_batch)

    models = _command(sub, "models", "model utilities")
    msub = models.add_subparsers(
        dest="models_command", required=True, metavar="COMMAND", help="one of the commands below"
    )  # fmt: skip
    p = _command(
        msub, "fixture", "write a random-weight MarianMT model (gibberish output)",
        "For tests and trying the tool without a download: a model with a real model's "
        "layout and random weights. What it writes is gibberish, never translation.",
    )  # fmt: skip
    p.add_argument("dir", metavar="DIR", help="folder to write the model to")
    p.add_argument(
        "--size", choices=["tiny", "opus-mt-ar-en"], default="tiny",
        help="tiny: a small model, fast; opus-mt-ar-en: the real model's dimensions",
    )  # fmt: skip
    p.add_argument("--seed", type=_whole(0, MAX_SEED), default=0, help="random seed of the weights")
    p.set_defaults(func=cmd_models_fixture)
    return parser


def _checks_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--no-checks", action="store_true",
        help="skip the translation checks (the records then hold no findings; arabic-align "
        "check can still check the run later)",
    )  # fmt: skip


def _knowledge_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--no-background", action="store_true",
        help="align without the background dictionary and parallel text (docs/alignment.md "
        "in the project source)",
    )  # fmt: skip
    p.add_argument(
        "--priors", metavar="FILE",
        help="eflomal priors saved by links --train AR EN --save-priors FILE, for the "
        "statistical and hybrid methods",
    )  # fmt: skip


class Terminated(KeyboardInterrupt):
    """SIGTERM (``kill``, a job scheduler's stop) or SIGHUP (the terminal closed, an SSH
    connection dropped), raised where the program is, as Ctrl-C is: the way out is the same
    (temporary folders removed, a run not written whole left unmarked), where the signal's
    default would end the process on the spot and leave eflomal's temporary folder behind.
    The exit status is the signal's (128 + its number), as a shell reports it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def status(self) -> int:
        return 128 + self.signum

    @property
    def said(self) -> str:
        return "hung up" if self.signum == signal.SIGHUP else "terminated"


# The signals that end the program the way Ctrl-C does.
STOPPING = (signal.SIGTERM, signal.SIGHUP)


def _terminate(signum, frame) -> None:
    signal.signal(signum, signal.SIG_DFL)  # the same signal again ends it at once
    raise Terminated(signum)


def _needs_memory(command: str) -> str:
    """What of ``command`` takes the memory, for the sentence on a memory limit."""
    if command == "compare":
        return (
            "the significance tests, which draw every resample at once (fewer --bootstrap or "
            "--randomization need less)"
        )
    return "the model and the aligner" if command in ("run", "batch", "links") else "this command"


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        # A file name with bytes that are not UTF-8 must not stop a report of work done.
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="backslashreplace")
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help (0) or a bad option (2, one line already printed)
        return exc.code if isinstance(exc.code, int) else 2
    func: Callable[[argparse.Namespace], int] = args.func
    streams = sys.stdout, sys.stderr
    if func.__name__ in WORKING:  # (a stream closed before the start is None: left so)
        sys.stdout, sys.stderr = (
            s if s is None else _Unbroken(s, name)
            for s, name in zip(streams, ("standard output", "standard error"), strict=True)
        )
    elif sys.stdout is None and func.__name__ not in QUIET:
        # `arabic-align score ... >&-`: what the command prints is its work, and print()
        # to a closed stream drops it without a word
        if sys.stderr is not None:
            print(f"{PROG}: error: standard output is closed, and it is where this command "
                  "writes what it finds; redirect it to a file", file=sys.stderr)  # fmt: skip
        return 2
    try:
        with on_command_line():
            return func(args)
    except UserError as exc:
        print(f"{PROG}: error: {printable(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt as exc:
        what = exc.said if isinstance(exc, Terminated) else "interrupted"
        with contextlib.suppress(OSError):  # (a terminal that hung up takes no message)
            print(f"{PROG}: {what}; what was complete is kept, nothing else is marked "
                  "complete", file=sys.stderr)  # fmt: skip
        return exc.status if isinstance(exc, Terminated) else 130
    except BrokenPipeError:  # `arabic-align segment x | head` is not an error
        sys.stderr.close()
        return 0
    except OSError as exc:
        # The machine refused (a full disk, a file system gone read-only, too many open
        # files): not a mistake in the input, and not one of our bugs to show as a traceback.
        where = f" ({exc.filename})" if exc.filename else ""
        message = f"the system refused{where}: {exc.strerror or exc}"
        print(f"{PROG}: error: {printable(message)}", file=sys.stderr)
        return 2
    except MemoryError:
        limit = under_memory_limit(_needs_memory(args.command))
        said = f"out of memory; {limit}" if limit else "out of memory; give smaller inputs"
        print(f"{PROG}: error: {said}", file=sys.stderr)
        return 2
    except (ImportError, RuntimeError, SystemError) as exc:
        # Under an address-space limit (ulimit -v), mapping torch's libraries or starting a
        # thread fails with these, not with a MemoryError. Anything else is a bug.
        limit = under_memory_limit(_needs_memory(args.command))
        if not (limit and short_of_memory(exc)):
            raise
        print(f"{PROG}: error: {printable(str(exc) or type(exc).__name__)}; {limit}",
              file=sys.stderr)  # fmt: skip
        return 2
    finally:
        sys.stdout, sys.stderr = streams


# The commands whose work is files (a run, a batch, links, a report, a model), not their
# printed output: a reader of that output that goes away (`| head`, a pager quit, a log
# reader that died) must not stop them, or the work stops half done with status 0.
WORKING = frozenset(["cmd_run", "cmd_batch", "cmd_links", "cmd_report", "cmd_models_fixture"])


# The commands that print nothing to stdout as their work (the review app is a terminal's).
QUIET = frozenset(["cmd_review"])


class _Unbroken:
    """A text stream that drops what it is given once its reader has gone (a broken
    pipe), instead of raising in the middle of the work; everything else is the stream's."""

    def __init__(self, stream, name: str) -> None:
        self._stream = stream
        self.broken = False
        self._name = name

    def write(self, text: str) -> int:
        if not self.broken:
            try:
                return self._stream.write(text)
            except BrokenPipeError:
                self._gone()
            except OSError as exc:  # (a full disk): the message says which stream refused
                exc.filename = exc.filename or self._name
                raise
        return len(text)

    def _gone(self) -> None:
        """From now on, nothing is written; what the stream still holds goes to the null
        device (as Python's documentation advises), so that flushing it at exit is quiet."""
        self.broken = True
        with contextlib.suppress(OSError, ValueError, AttributeError):
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, self._stream.fileno())
            os.close(null)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        if not self.broken:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._gone()
            except OSError as exc:
                exc.filename = exc.filename or self._name
                raise

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def entry() -> None:
    """The console script: ``main``, then an exit that a late Ctrl-C cannot turn into a
    traceback. Python's shutdown waits for worker threads (thread pools, torch); a Ctrl-C
    there would raise inside ``threading._shutdown``. By then every output is written and
    synced, so the process just ends, with the status of an interrupt."""
    # A signal already ignored stays ignored: under nohup, a terminal that closes is not a
    # reason to stop.
    stopping = [s for s in STOPPING if signal.getsignal(s) is not signal.SIG_IGN]
    for signum in stopping:
        with contextlib.suppress(ValueError):  # not the main thread: left as it is
            signal.signal(signum, _terminate)
    try:
        code = main()
    except KeyboardInterrupt as exc:  # before main's own handler: during imports or parsing
        terminated = isinstance(exc, Terminated)
        with contextlib.suppress(OSError):
            print(f"{PROG}: {exc.said if terminated else 'interrupted'}", file=sys.stderr)
        code = exc.status if terminated else 130

    def late_interrupt(signum, frame) -> None:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
        what = Terminated(signum).said if signum in STOPPING else "interrupted"
        with contextlib.suppress(OSError):
            os.write(2, f"{PROG}: {what} while exiting; the work was already done\n".encode())
        os._exit(128 + signum)

    for signum in (signal.SIGINT, *stopping):
        signal.signal(signum, late_interrupt)
    sys.exit(code)


if __name__ == "__main__":
    entry()
