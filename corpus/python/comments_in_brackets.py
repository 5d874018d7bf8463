# Comment lines inside brackets, dedented below the block they are in: Python's tokenizer
# ignores indentation inside brackets; tree-sitter's scanner dedents after such a comment.


def make_pattern():
    pattern = (
        r"^[ \t]*" +  # at the start of a line
        r"(?P<word>match)\b" +
  # dedented below the function's body
        r"(?!x)"
    )
    pairs = [
        ("a", 1),  # first
# at column 0
        ("b", 2),
    ]
    return pattern, {
        "k": "v",
    # a comment between items
    "w": "x"}
