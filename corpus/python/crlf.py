# Windows line endings.
def f():
    return 1  # trailing

x = (1,
     2)
s = '''a
b'''
