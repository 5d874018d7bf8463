# Every expression form, and the precedence of each operator against its neighbours.
a or b and not c
a if b else c if d else e
lambda: 0
lambda x, /, y=1, *z, w, **v: (x, y, z, w, v)
(x := 1)
f(y := 2)
[y := 3, y ** 2]
a < b <= c > d >= e == f != g is h is not i in j not in k
a | b ^ c & d << e >> f + g - h * i @ j / k // l % m ** -n
-a ** -b, (-a) ** b, not -~+a
await_ = (yield_ := 1)
x[1:2], x[::], x[:], x[1:2:3], x[::2], x[a, b:c, ...], x[()], x[(1, 2)]
x.attr.other, x().y[0](z)
f(a, *b, c=1, **d), f(*a, *b, **c, **d), f(a for a in b), f(x=1, *y)
[], [1], [1,], [*a, *b], (), (1,), (*a,), {}, {1}, {1,}, {**a, 'b': 1, **c}, {*a, *b}
[x for x in y], {x for x in y if x if not x}, {k: v for k, v in y}, (x for x in y)
[x for x in y for y in z], [(x, y) for x in range(3) for y in range(x)]
[lambda: x for x in y]
1, 2.5, 3j, 1_000, 0x_ff, 0o17, 0b1010, 1e10, 1.5E-3, .5, 5., 0.0, 1_0.0_1e+1_0j
None, True, False, ...
f(*args)(**kwargs)
a.b.c.d.e.f
(a
 + b
 - c)
x = [
    1,
    2,
]
y = (  # comment in brackets
    1  # and after an item
)
*a, b = c
a, *b = c
