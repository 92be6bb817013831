#!/usr/bin/env python3
"""Shows how each story's attribution changed since the previous `scripts/evaluate`, then
keeps this run's figures as the next run's previous ones.

    python3 scripts/evaluate_changes.py RESULTS PREVIOUS

RESULTS: run.py's output lines, each prefixed by its mode and a tab ("blind\tEmma: 1/2 = 50.0%").
PREVIOUS: the same figures from the run before, as `mode<TAB>story<TAB>right<TAB>total` lines;
replaced (written to a new file beside it, then renamed) by this run's.
"""
import os
import re
import sys
import tempfile

LINE = re.compile(r"^(\w+)\t([^ :][^:]*): (\d+)/(\d+) = ")


def read_results(path):
    figures = {}
    with open(path, encoding="utf-8") as f:
        for raw in f:
            m = LINE.match(raw)
            if m and not m.group(2).startswith("total"):
                figures[(m.group(1), m.group(2))] = (int(m.group(3)), int(m.group(4)))
    return figures


def read_previous(path):
    figures = {}
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        for raw in f:
            cols = raw.rstrip("\n").split("\t")
            if len(cols) == 4:
                figures[(cols[0], cols[1])] = (int(cols[2]), int(cols[3]))
    return figures


def save(path, figures):
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".evaluate-", dir=folder)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        for (mode, story), (right, total) in sorted(figures.items()):
            f.write(f"{mode}\t{story}\t{right}\t{total}\n")
    os.replace(tmp, path)


def main(results_path, previous_path):
    now = read_results(results_path)
    before = read_previous(previous_path)
    if before is None:
        print(f"== changes: no previous run ({previous_path}); this run is the next one's baseline")
    else:
        changed = [(key, before.get(key), value) for key, value in sorted(now.items())
                   if before.get(key) != value]
        print(f"== changes since the previous run ({previous_path}): "
              f"{len(changed)} of {len(now)} story figures")
        for (mode, story), old, new in changed:
            was = f"{old[0]}/{old[1]}" if old else "-"
            delta = f" ({new[0] - old[0]:+d})" if old else ""
            print(f"  {mode} {story}: {was} -> {new[0]}/{new[1]}{delta}")
    save(previous_path, now)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
