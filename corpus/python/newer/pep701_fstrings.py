# PEP 701 (Python 3.12): f-strings are parsed like code.
songs = ["a", "b"]
f"{", ".join(songs)}"
f"{f"{f"{1}"}"}"
f"{"\n".join(songs)}"
f"{songs[0]!r:>{10}}"
f"""{
    1 + 2  # a comment inside a field, in a triple-quoted f-string
}"""
f'{'single in single'}'
f"{'nested quotes'} {"x" if True else 'y'!r}"
# A control character in a string inside a field, after the f-string's own quote.
f"{'"'}"
