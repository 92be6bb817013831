#!/usr/bin/env python3
"""Scores `troupe script` per attribution rule: for every rule (the `rule` field of its JSON
Lines), how many gold quotations it decided and how many of those were right, per set and
overall, then per novel. Matching and rightness are ../shared/eval/score.py's (an answer's
aliases count like its canonical name); a gold quotation troupe did not find counts under
`(not found)`.

    python3 scripts/by_rule.py TROUPE EVAL_DIR OUT_DIR

Sets: samples (gold/), fanfic (fanfic/), PDNC blind, PDNC with the gold cast (cast files
written by run.py's own writer). Every output is kept in OUT_DIR/<set>/<story>.jsonl (with the
cast files beside them), so two builds' outputs can be compared record by record.
"""
import collections
import json
import os
import subprocess
import sys

NOT_FOUND = "(not found)"


def read_records(path):
    """score.read_system's records, each with its rule."""
    by_line = {}
    with open(path, encoding="utf-8") as f:
        for raw in f:
            raw = raw.strip()
            if not raw:
                continue
            rec = json.loads(raw)
            if not isinstance(rec, dict) or rec.get("kind", "quote") != "quote":
                continue
            by_line.setdefault(int(rec["line"]), []).append({
                "speaker": str(rec.get("speaker") or ""),
                "text": str(rec.get("text") or ""),
                "rule": str(rec.get("rule") or "none"),
                "used": False})
    return by_line


def run_set(troupe, run, score, golds, out_dir, cast):
    """{story: Counter of (rule, right)} for the gold files, running troupe on each."""
    os.makedirs(out_dir, exist_ok=True)
    results = {}
    for gold in golds:
        base = os.path.splitext(os.path.basename(gold))[0]
        command = [troupe, "script", "--format", "jsonl", run.story_of(gold)]
        if cast:
            cast_file = os.path.join(out_dir, base + ".cast.toml")
            run.write_cast(gold, cast_file)
            command += ["--cast", cast_file]
        out = os.path.join(out_dir, base + ".jsonl")
        with open(out, "w", encoding="utf-8") as f:
            subprocess.run(command, stdout=f, check=True)
        system = read_records(out)
        people, quotes = score.read_gold(gold)
        counts = collections.Counter()
        for line, answers, text, _ in quotes:
            rec = score.match(system, line, text)
            rule = rec["rule"] if rec else NOT_FOUND
            counts[(rule, score.is_right(answers, rec, people))] += 1
        results[base] = counts
    return results


def rules_of(counts):
    decided, right = collections.Counter(), collections.Counter()
    for (rule, ok), n in counts.items():
        decided[rule] += n
        right[rule] += n if ok else 0
    return decided, right


def percent(right, decided):
    return f"{100.0 * right / decided:5.1f}%" if decided else "    -"


def print_table(title, counts):
    decided, right = rules_of(counts)
    total, total_right = sum(decided.values()), sum(right.values())
    print(f"== {title}: {total_right}/{total} = {percent(total_right, total).strip()}")
    print(f"  {'rule':<16} {'decided':>8} {'right':>7} {'share':>7} {'precision':>9}")
    for rule in sorted(decided, key=lambda r: (-decided[r], r)):
        print(f"  {rule:<16} {decided[rule]:>8} {right[rule]:>7} "
              f"{percent(decided[rule], total):>7} {percent(right[rule], decided[rule]):>9}")


def print_per_story(title, results):
    print(f"== {title}, per story (rule right/decided)")
    for story, counts in results.items():
        decided, right = rules_of(counts)
        cells = " ".join(f"{r} {right[r]}/{decided[r]}"
                         for r in sorted(decided, key=lambda r: (-decided[r], r)))
        print(f"  {story}: {sum(right.values())}/{sum(decided.values())}  {cells}")


def main(troupe, eval_dir, out_root):
    sys.path.insert(0, eval_dir)
    import run  # noqa: E402  (the evaluation's own story finder and cast writer)
    import score  # noqa: E402

    def golds(folder):
        path = os.path.join(eval_dir, folder)
        return [os.path.join(path, n) for n in sorted(os.listdir(path)) if n.endswith(".tsv")]

    sets = [("samples", golds("gold"), False), ("fanfic", golds("fanfic"), False),
            ("pdnc-blind", golds("pdnc"), False), ("pdnc-cast", golds("pdnc"), True)]
    overall = collections.Counter()
    per_set = []
    for name, files, cast in sets:
        results = run_set(troupe, run, score, files, os.path.join(out_root, name), cast)
        counts = sum(results.values(), collections.Counter())
        overall += counts
        per_set.append((name, results, counts))
    for name, _, counts in per_set:
        print_table(name, counts)
        print()
    print_table("overall (every set)", overall)
    for name, results, _ in per_set:
        print()
        print_per_story(name, results)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], sys.argv[3])
