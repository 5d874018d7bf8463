# A comment after `if` and the condition on the next line: one header in tree-sitter,
# a syntax error in Python.
if  # the condition is on the next line
    x:
    pass
