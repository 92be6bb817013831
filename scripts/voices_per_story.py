#!/usr/bin/env python3
"""Prints the scorer's `voices` figure per story, blind and with the gold cast: how many
quotations with one named speaker keep their character's own voice under score.py's one-to-one
map from troupe's speaker labels to gold characters. run.py prints only the total over a set.

    python3 scripts/voices_per_story.py [--blind-only] [--previous FILE] [TROUPE] [GOLD ...]

TROUPE defaults to build/troupe, the gold to EVAL_DIR/pdnc (EVAL_DIR defaults to
../shared/eval). --previous FILE shows each figure's change since the figures kept in FILE,
then keeps this run's there (`mode<TAB>story<TAB>right<TAB>total` lines, as scripts/evaluate's,
under the modes `voices-blind` and `voices-cast`, so that a file shared with scripts/evaluate never
compares a voices figure with an accuracy one); --blind-only keeps the file's cast figures.
"""
import os
import subprocess
import sys
import tempfile

from evaluate_changes import read_previous, save
from voice_splits import EVAL_DIR, ROOT, run, write_script


def voices_of(troupe, gold, cast, tmp):
    """(right, total): score.py's `voices` line for troupe's script of one gold story."""
    out = write_script(troupe, gold, cast, tmp)
    scored = subprocess.run([sys.executable, os.path.join(EVAL_DIR, "score.py"), gold, out],
                            capture_output=True, text=True, check=True).stdout
    for line in scored.splitlines():
        if line.startswith("voices: "):
            right, total = line.split(" ")[1].split("/")
            return int(right), int(total)
    sys.exit(f"{gold}: score.py printed no voices line")


def percent(right, total):
    return 100.0 * right / total if total else 0.0


USAGE = "usage: voices_per_story.py [--blind-only] [--previous FILE] [TROUPE] [GOLD ...]"


def main(argv):
    modes = ["blind"] if "--blind-only" in argv else ["blind", "cast"]
    argv = [a for a in argv if a != "--blind-only"]
    previous_path = None
    if "--previous" in argv:
        at = argv.index("--previous")
        if at + 1 >= len(argv) or argv[at + 1].startswith("--"):
            sys.exit(USAGE)
        previous_path = argv[at + 1]
        del argv[at:at + 2]
    troupe = os.path.realpath(argv[0] if argv else os.path.join(ROOT, "build", "troupe"))
    golds = list(run.golds(argv[1:] or [os.path.join(EVAL_DIR, "pdnc")]))
    previous = (read_previous(previous_path) if previous_path else None) or {}
    figures = {}
    print("story\t" + "\t".join(f"voices {mode}" for mode in modes))
    with tempfile.TemporaryDirectory() as tmp:
        for gold in golds:
            story = os.path.splitext(os.path.basename(gold))[0]
            cells = []
            for mode in modes:
                key = (f"voices-{mode}", story)
                right, total = figures[key] = voices_of(troupe, gold, mode == "cast", tmp)
                cell = f"{right}/{total} = {percent(right, total):.1f}%"
                if key in previous:
                    cell += f" ({right - previous[key][0]:+d})"
                cells.append(cell)
            print(story + "\t" + "\t".join(cells))
    totals = []
    for mode in modes:
        right = sum(r for (m, _), (r, _) in figures.items() if m == f"voices-{mode}")
        total = sum(t for (m, _), (_, t) in figures.items() if m == f"voices-{mode}")
        totals.append(f"{right}/{total} = {percent(right, total):.2f}%")
    print("total\t" + "\t".join(totals))
    if previous_path:
        # Keeps the figures this run did not make (the cast ones under --blind-only, or
        # scripts/evaluate's) beside this run's.
        save(previous_path, {**previous, **figures})


if __name__ == "__main__":
    main(sys.argv[1:])
