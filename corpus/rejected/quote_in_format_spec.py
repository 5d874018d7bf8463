# The f-string's own quote inside a format spec ends the string (CPython 3.11 and 3.12);
# tree-sitter reads the spec on past it.
value = 1
f"{value = :x"}"
