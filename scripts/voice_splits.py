#!/usr/bin/env python3
"""Shows where the scorer's `voices` figure loses quotations: for every gold character, the
speaker labels troupe gave their quotations (blind, or with the gold cast), and which label the
one-to-one map kept. A character split over several labels loses all but the kept one; a label
shared by several characters counts for one of them only.

    python3 scripts/voice_splits.py [--cast] [--min N] [TROUPE] [GOLD_DIR_OR_FILE ...]

TROUPE defaults to build/troupe, the gold to EVAL_DIR/pdnc (EVAL_DIR defaults to
../shared/eval). --min N (default 5) leaves out characters losing fewer than N quotations.
"""
import collections
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EVAL_DIR = os.path.realpath(os.environ.get("EVAL_DIR", os.path.join(ROOT, "..", "shared", "eval")))
sys.path.insert(0, EVAL_DIR)
import run  # noqa: E402  (the evaluation's own runner and scorer)
import score  # noqa: E402


def write_script(troupe, gold, cast, tmp):
    """The path of troupe's JSON Lines script of the gold's story, written in tmp (with the gold
    cast when `cast`)."""
    base = os.path.splitext(os.path.basename(gold))[0]
    cmd = [troupe, "script", "--format", "jsonl", run.story_of(gold)]
    if cast:
        cast_file = os.path.join(tmp, base + ".cast.toml")
        run.write_cast(gold, cast_file)
        cmd += ["--cast", cast_file]
    out = os.path.join(tmp, base + ".jsonl")
    with open(out, "w", encoding="utf-8") as f:
        subprocess.run(cmd, stdout=f, check=True)
    return out


def splits(troupe, gold, cast, tmp):
    """(lost, lines): how many quotations the voice map loses, and a report of them."""
    out = write_script(troupe, gold, cast, tmp)
    people, quotes = score.read_gold(gold)
    system = score.read_system(out)
    pairs = []
    for line, answers, text, _ in quotes:
        rec = score.match(system, line, text)
        if rec is None or len(answers) != 1 or answers[0] in ("?", "_narrator"):
            continue
        label = score.fold_name(rec["speaker"])
        if label in score.NARRATOR_NAMES:
            continue
        pairs.append((label, score.character_of(answers[0], people)))
    kept = score.voice_map(pairs)
    by_char = collections.defaultdict(collections.Counter)
    for label, char in pairs:
        by_char[char][label] += 1
    report = []
    total_lost = 0
    for char, labels in by_char.items():
        lost = sum(n for label, n in labels.items() if kept.get(label) != char)
        wrong_named = sum(n for label, n in labels.items() if label in people or
                          any(label in names for names in people.values()))
        total_lost += lost
        report.append((lost, char, labels, wrong_named))
    report.sort(key=lambda r: -r[0])
    return total_lost, len(pairs), report, kept


def main(argv):
    cast = "--cast" in argv
    argv = [a for a in argv if a != "--cast"]
    minimum = 5
    if "--min" in argv:
        at = argv.index("--min")
        minimum = int(argv[at + 1])
        del argv[at:at + 2]
    troupe = os.path.realpath(argv[0] if argv else os.path.join(ROOT, "build", "troupe"))
    paths = argv[1:] or [os.path.join(EVAL_DIR, "pdnc")]
    with tempfile.TemporaryDirectory() as tmp:
        for gold in run.golds(paths):
            lost, n, report, kept = splits(troupe, gold, cast, tmp)
            print(f"== {os.path.basename(gold)}: {lost} of {n} quotations lost by the voice map")
            for char_lost, char, labels, _ in report:
                if char_lost < minimum:
                    continue
                shown = ", ".join(f"{label}{'*' if kept.get(label) == char else ''} {count}"
                                  for label, count in labels.most_common(8))
                print(f"  {char}: loses {char_lost}: {shown}")


if __name__ == "__main__":
    main(sys.argv[1:])
