#!/usr/bin/env python3
"""Writes crates/simpy-python/src/codecs_table.rs: how CPython's codecs map onto encoding_rs.

    cargo build --release -p simpy-python --example codec_probe
    python3 scripts/python_codecs.py target/release/examples/codec_probe > crates/simpy-python/src/codecs_table.rs

CPython names a coding declaration's codec through `encodings.aliases` and the modules of the
`encodings` package; encoding_rs implements the WHATWG encodings, which read some bytes other
than CPython's codecs do (WHATWG Shift_JIS is Microsoft's cp932, its iso-8859-9 is cp1254 …).
For each CPython codec this finds the WHATWG encoding that reads every one- and two-byte
sequence as CPython does, but for characters to put right (`differs`), characters that have no
one right reading (`refused` where the bytes that read differently are in the file), and
sequences CPython's codec refuses (`undefined`: the characters only those give). A codec with
no such encoding is left out: simpy refuses its files and says so.
`crates/simpy-python/tests/codecs.rs` holds the table to the machine's python3, running this
file with no argument (`python3 -c`): then it reads byte sequences (a JSON list of hex) and
prints, for each codec name CPython knows, its codec and how it reads each sequence.
"""
import codecs, encodings, encodings.aliases, json, pkgutil, subprocess, sys, unicodedata

WHATWG = ["Big5", "EUC-JP", "EUC-KR", "GBK", "IBM866", "ISO-8859-10", "ISO-8859-13",
          "ISO-8859-14", "ISO-8859-15", "ISO-8859-16", "ISO-8859-2", "ISO-8859-3", "ISO-8859-4",
          "ISO-8859-5", "ISO-8859-6", "ISO-8859-7", "ISO-8859-8", "KOI8-R", "KOI8-U", "Shift_JIS",
          "gb18030", "macintosh", "windows-1250", "windows-1251", "windows-1252", "windows-1253",
          "windows-1254", "windows-1255", "windows-1256", "windows-1257", "windows-1258",
          "windows-874", "x-mac-cyrillic"]
# Read by simpy's own code (`source.rs`), or stateful (one sequence at a time says nothing).
OWN = {"utf-8", "iso8859-1", "ascii"}
STATEFUL = ("utf", "2022", "hz", "idna", "punycode", "undefined", "raw", "unicode_escape",
            "palmos", "cp65001", "mbcs", "oem")

def sequences():
    seqs = [bytes([b]) for b in range(0x80, 0x100)]
    seqs += [bytes([l, t]) for l in range(0x81, 0xff) for t in range(0x30, 0xff)]
    # gb18030's four-byte sequences of the Basic Multilingual Plane's first part (one of them
    # swaps a character with a two-byte one).
    seqs += [bytes([a, b, c, d]) for a in range(0x81, 0x85) for b in range(0x30, 0x3a)
             for c in range(0x81, 0xff) for d in range(0x30, 0x3a)]
    # EUC-JP's three-byte sequences (JIS X 0212).
    seqs += [bytes([0x8f, b, c]) for b in range(0xa1, 0xff) for c in range(0xa1, 0xff)]
    return seqs


def python_reads(name, seqs):
    out = []
    for s in seqs:
        try:
            out.append(s.decode(name))
        except (UnicodeError, LookupError):
            out.append(None)
    return out


def ranges(chars):
    out = []
    for c in chars:
        if out and ord(c) == ord(out[-1][1]) + 1:
            out[-1][1] = c
        else:
            out.append([c, c])
    return out


def text_codecs():
    """The text codecs of the `encodings` package: module name, and CPython's name of it."""
    modules = {}
    for m in sorted(m.name for m in pkgutil.iter_modules(encodings.__path__)):
        try:
            info = codecs.lookup(m)
        except LookupError:
            continue
        if info._is_text_encoding:
            modules[m] = info.name
    return modules


def oracle():
    seqs = [bytes.fromhex(h) for h in json.load(sys.stdin)]
    labels = sorted(set(encodings.aliases.aliases) | set(text_codecs()))
    # WHATWG names CPython does not know, and spellings its lookup folds.
    labels += ["latin-2", "x-sjis", "windows-31j", "koi8", "x-mac-cyrillic", "cp-1252",
               "SHIFT-JIS", "Latin.2"]
    lookup = {}
    for label in labels:
        try:
            info = codecs.lookup(label)
            lookup[label] = info.name if info._is_text_encoding else None
        except LookupError:
            lookup[label] = None
    reads = {name: python_reads(name, seqs) for name in sorted({n for n in lookup.values() if n})}
    json.dump({"lookup": lookup, "reads": reads}, sys.stdout)


def generate(probe):
    seqs = sequences()
    probe_input = "\n".join(s.hex() for s in seqs)
    ours = {e: json.loads(subprocess.run([probe, e], input=probe_input, capture_output=True,
                                         text=True, check=True).stdout) for e in WHATWG}
    modules = text_codecs()
    codec_rows = []
    for module, name in sorted(modules.items(), key=lambda kv: kv[1]):
        if name in OWN or any(s in name for s in STATEFUL) or any(r[0] == name for r in codec_rows):
            continue
        py = python_reads(name, seqs)
        if not any(py):
            continue
        best = None
        for e, out in ours.items():
            differ = [(a, b) for a, b in zip(out, py) if a is not None and b is not None and a != b]
            less = sum(1 for a, b in zip(out, py) if a is None and b is not None)
            more = [s for s, a, b in zip(seqs, out, py) if a is not None and b is None]
            # A same-named encoding wins a tie: gb18030's four-byte sequences are not probed.
            key = (len(differ) + less, len(more), e.lower().replace("-", "") != name.replace("-", ""))
            if best is None or key < best[0]:
                best = (key, e, differ, less, more)
        key, e, differ, less, more = best
        if less or len(differ) > 1000:
            continue
        out = ours[e]
        alike = set()
        for a, b in zip(out, py):
            if a is not None and a == b:
                alike.update(a)
        fixes = {}
        for a, b in differ:
            assert len(a) == len(b), (name, a, b)
            for x, y in zip(a, b):
                if x != y:
                    fixes.setdefault(x, set()).add(y)
        # What only the WHATWG encoding reads (the bytes a single-byte codec leaves undefined,
        # the vendor extensions of the CJK ones): refused by character, where no sequence read
        # alike gives that character.
        only = set()
        for sq, a, b in zip(seqs, out, py):
            if a is not None and b is None:
                only.update(c for c in a if c not in alike)
        # A character also read alike elsewhere (gb18030's U+3000 from A1A1 and, for CPython
        # another, from A3A0) has no one right reading: it is refused where the bytes that read
        # differently are in the file (a search that may also match across two characters, so
        # it may refuse, never misread).
        ambiguous = {x for x, ys in fixes.items() if len(ys) > 1 or x in alike}
        refused = []
        for x in sorted(ambiguous):
            where = sorted({sq for sq, a, b in zip(seqs, out, py)
                            if a is not None and b is not None and a != b and x in a
                            and len(sq) == len(a) * (len(sq) // len(a)) and len(a) == 1})
            refused.append((x, where))
        # A sequence only the WHATWG encoding reads, as a character also read alike from other
        # bytes (gb18030's 0x80 as the euro sign) or put right (Shift_JIS's EEF9 as the U+FFE2
        # that 81CA also gives): refused where those bytes are in the file.
        also = {}
        for sq, a, b in zip(seqs, out, py):
            if a is not None and b is None and len(a) == 1 and (a in alike or a in fixes):
                also.setdefault(a, []).append(sq)
        for x, where in also.items():
            refused.append((x, where))
        refused.sort()
        differs = sorted((x, ys.pop()) for x, ys in fixes.items() if x not in ambiguous)
        undefined = ranges(sorted(c for c in only if c not in fixes))
        codec_rows.append((name, e, undefined, differs, refused))

    aliases = {}
    for alias, module in encodings.aliases.aliases.items():
        if module in modules:
            aliases[alias] = module

    print("// @generated by scripts/python_codecs.py from CPython %s and encoding_rs: do not edit."
          % sys.version.split()[0])
    print("// How CPython names and reads the codecs of coding declarations (see that script).")
    print()
    print("/// `encodings.aliases`: a normalised alias and the `encodings` module it names.")
    print("pub(crate) const ALIASES: &[(&str, &str)] = &[")
    for alias in sorted(aliases):
        print(f'    ("{alias}", "{aliases[alias]}"),')
    print("];")
    print()
    print("/// The text codecs of the `encodings` package: module, and CPython's name of the codec.")
    print("pub(crate) const MODULES: &[(&str, &str)] = &[")
    for m in sorted(modules):
        print(f'    ("{m}", "{modules[m]}"),')
    print("];")
    print()
    print("/// The codecs simpy reads, each through a WHATWG encoding.")
    print("pub(crate) const CODECS: &[crate::source::Codec] = &[")
    for name, e, undefined, differs, refused in codec_rows:
        print("    crate::source::Codec {")
        print(f'        python: "{name}",')
        print(f'        whatwg: "{e}",')
        print(f'        undefined: "{"".join(rs_str_char(a) + rs_str_char(b) for a, b in undefined)}",')
        print(f"        differs: &[{', '.join(f'({rs_char(a)}, {rs_char(b)})' for a, b in differs)}],")
        print(f"        refused: &[{', '.join(f'({rs_char(c)}, &[{rs_bytes_list(w)}])' for c, w in refused)}],")
        print("    },")
    print("];")


def rs_bytes_list(seqs):
    return ", ".join('b"' + "".join("\\x%02x" % b for b in s) + '"' for s in seqs)


def rs_str_char(c):
    # Printable letters as they are (the table stays small), the rest escaped.
    if c.isprintable() and not unicodedata.combining(c) and c not in '"\\' and not c.isspace():
        return c
    return "\\u{%x}" % ord(c)


def rs_char(c):
    return "'\\u{%x}'" % ord(c)


# Run with `-c` (the test), there is no argument.
if len(sys.argv) == 2:
    generate(sys.argv[1])
else:
    oracle()
