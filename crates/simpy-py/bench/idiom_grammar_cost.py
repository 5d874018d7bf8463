"""What a grammar costs a model that writes a dialect's idioms: held to the grammar of the
dialect's spellings (`simpy grammar --dialect`) through `simpy tokenizer export
--spell-out-idioms`, it writes each idiom that holds a SimPy token as its pieces, here as the
base tokenizer splits them with the text around them (the best it can do). Counts, on
every N-th stdlib file, the tokens of the dialect's spellings alone, of the dialect with all
its idioms, and with only the spelled-out ones (the other idioms' pieces counted instead).

    target/py-venv/bin/python crates/simpy-py/bench/idiom_grammar_cost.py DIALECT.json \
        [--base gpt4] [--every 1] [--split all|training|held-out]

--split takes the stdlib folders the dialect was (not) trained on, as its file names them
(`"trained"`, `"held_out_folders"`: `simpy dialect train` on the stdlib).
"""

import argparse
import json
import pathlib
import sys
import sysconfig
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "tests"))

from conftest import stdlib_files  # noqa: E402
from grammar_engines import SIMPY_TOKEN, idiom_texts, model_ids  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dialect", type=pathlib.Path)
    parser.add_argument("--base", default="gpt4")
    parser.add_argument("--every", type=int, default=1, help="take every N-th stdlib file")
    parser.add_argument("--split", choices=["all", "training", "held-out"], default="all")
    args = parser.parse_args()

    import simpy_grammar as sg

    dialect = json.loads(args.dialect.read_text())
    texts = idiom_texts(dialect)
    vocabulary = sg.Vocabulary(args.base, dialect=str(args.dialect))
    structural = {vocabulary.token_id(f"<@{n}>") for n, t in enumerate(texts) if SIMPY_TOKEN.search(t)}
    plain = sg.Vocabulary(args.base)
    spellings = dict(dialect, name="spellings", idioms=[])
    spellings_file = pathlib.Path(tempfile.mkdtemp()) / f"{args.dialect.stem}.spellings.json"
    spellings_file.write_text(json.dumps(spellings))
    counts = {"original": 0, "spellings": 0, "all idioms": 0, "under the grammar": 0}
    held_out = {pathlib.Path(f) for f in dialect.get("trained", {}).get("held_out_folders", [])}
    if args.split != "all" and not held_out:
        parser.error(f"{args.dialect} names no held-out folders (train it again)")
    root = pathlib.Path(sysconfig.get_paths()["stdlib"])
    files = 0
    for path in stdlib_files(every=args.every):
        if args.split != "all" and (path.parent.relative_to(root) in held_out) != (args.split == "held-out"):
            continue
        source = path.read_bytes()
        try:
            text = sg.encode(source, dialect=str(args.dialect))
        except sg.SimpyError:
            continue
        counts["original"] += sg.count_tokens(source.decode("utf-8", "replace"), args.base)
        counts["spellings"] += len(plain.encode(sg.encode(source, dialect=str(spellings_file))))
        counts["all idioms"] += len(vocabulary.encode(text))
        counts["under the grammar"] += len(model_ids(text, texts, vocabulary, structural, args.base, merged=True)[0])
        files += 1
    print(f"{args.dialect.name}: {len(texts)} idioms, {len(texts) - len(structural)} without a SimPy "
          f"token; {files} stdlib files ({args.split}), {args.base}")
    for name, count in counts.items():
        change = count / counts["original"] - 1
        print(f"  {name:>18}: {count:>10,} tokens  {change:+.1%}")
    kept = (counts["spellings"] - counts["under the grammar"]) / (counts["spellings"] - counts["all idioms"])
    print(f"  under the grammar, the idioms keep {kept:.0%} of their gain")


if __name__ == "__main__":
    main()
