# A decorated class indented as the first statement; tree-sitter takes the
# decorators that follow at column 0 into the same statement.
    @first
@second
class D:
    pass
