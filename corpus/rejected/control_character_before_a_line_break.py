# A vertical tab after a name, then a complete statement: tree-sitter reads the tab as
# a space, CPython refuses it.
x = 1
i
+a
