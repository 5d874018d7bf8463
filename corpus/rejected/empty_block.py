def f():
# nothing
