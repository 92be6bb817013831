#!/usr/bin/env python3
"""Scores `troupe script` with the gold cast like ../shared/eval/run.py --cast, except that an
answer naming a character by one of its aliases ("Kemp" for "The Doctor", alias Kemp) accepts
every name of that character, as the scorer already does for an answer that is the canonical
name. Shows how much of the shortfall is the gold's choice of label, not the speaker.

    python3 scripts/alias_score.py TROUPE EVAL_DIR
"""
import collections
import os
import subprocess
import sys
import tempfile


def main(troupe, eval_dir):
    sys.path.insert(0, eval_dir)
    import run  # noqa: E402  (the evaluation's own cast writer and scorer)
    import score  # noqa: E402

    pdnc = os.path.join(eval_dir, "pdnc")
    total, right = collections.Counter(), collections.Counter()
    with tempfile.TemporaryDirectory() as tmp:
        for name in sorted(os.listdir(pdnc)):
            if not name.endswith(".tsv"):
                continue
            gold = os.path.join(pdnc, name)
            cast = os.path.join(tmp, name + ".cast.toml")
            run.write_cast(gold, cast)
            out = os.path.join(tmp, name + ".jsonl")
            with open(out, "w", encoding="utf-8") as f:
                subprocess.run([troupe, "script", "--format", "jsonl", run.story_of(gold),
                                "--cast", cast], stdout=f, check=True)
            system = score.read_system(out)
            people, quotes = score.read_gold(gold)
            names_of = collections.defaultdict(set)
            for names in people.values():
                for n in names:
                    names_of[n] |= names
            for line, answers, text, kind in quotes:
                rec = score.match(system, line, text)
                total[kind] += 1
                ok = score.is_right(answers, rec, people)
                if not ok and rec is not None:
                    spoken = score.fold_name(rec["speaker"])
                    ok = any(spoken in names_of.get(score.fold_name(a), set())
                             for a in answers if a not in ("?", "_narrator"))
                right[kind] += ok
    for kind in sorted(total):
        print(f"  {kind or 'untyped'}: {right[kind]}/{total[kind]} = "
              f"{100 * right[kind] / total[kind]:.1f}%")
    print(f"total accuracy: {sum(right.values())}/{sum(total.values())} = "
          f"{100 * sum(right.values()) / sum(total.values()):.1f}%")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
