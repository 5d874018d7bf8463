# Line continuations, semicolons, comments everywhere, blank lines and odd indentation.
x = 1 + \
    2
if x and \
        y:
    pass
assert x, \
    "m"
with a as b, \
        c as d:
    pass
x = 1;
x = 1; y = 2;


def f():



    # a comment at an odd indent
    return 1   # trailing


class C:
        deeply_indented = True
        def m(self):
                  return self
# a comment at column 0 between methods
        def n(self):
          pass
if x:
 pass
else:
        pass
for i in range(3):  # comment after a header
    # own line comment
    pass  # trailing
    # comment at the end of a block
# comment after the block
x = [1,  # first
     2]  # after
