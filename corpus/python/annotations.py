# Annotations are expressions: tree-sitter-python reads them with a type grammar of its own,
# which has no slices, calls or operators after a subscript (alone.rs).
x: l[T] + a
y: b[:c] = 1
z: b[1:2, 3]
w: l[T]() = f(a)[0]
v: l[T][a]; u: l[T] if a else b
t: (a := b)
s: l[T] * 2 == 3 = 4
obj.attr: l[T].x[1:] = 5
items[0]: lambda: l[T][0] = 6


def f(a: l[T] + a, b: b[:c] = 1, *args: *b[1:], k: \
        l[T]() = 2, **kw: d[::2]) -> T[bool] or None:
    r: l[T][a]
    return r


async def g(
    a: b[  # a comment inside the brackets
        1:],
) -> lambda: l[T][1]:
    if a: n: b[1:] = 2


class C:
    m: Final[int] | None = None
    n: m[1:2] = None
    def h(self, x: t[1:] = lambda q: q) -> c[:]: pass
