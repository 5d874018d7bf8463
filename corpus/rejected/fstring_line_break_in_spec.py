# A line break in the format spec of a single-quoted f-string: refused by Python 3.11, and
# by 3.12 and 3.13 too (PEP 701 lets only the expression span lines).
width = f"{10:>
4}"
