# PEP 701 (Python 3.12): a replacement field of a single-quoted f-string may span lines and
# hold comments, as a triple-quoted one's may.
total = f"{
    1 + 2
}"
parts = ["a", "b"]
joined = f"{", ".join(
    parts  # the parts
)}!"
debug = f"{total +
    1 = }"
quoted = f"{"a" = } {"\n" = }"
converted = f"{total!r
}"
spec = f"{total
:>10}"
nested = f"{f'{
    total}'}"
inner = f"{'''a
b''' + "c"}"
