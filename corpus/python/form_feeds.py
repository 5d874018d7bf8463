# Form feeds reset the indentation count, as Python's tokenizer does.

def f():
    pass

class C:
    x = 1
    y = 2
