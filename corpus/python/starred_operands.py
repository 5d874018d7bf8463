# A starred element of an unbracketed tuple takes any `bitwise_or`; tree-sitter-python only a
# name, an attribute, a subscript or a call (alone.rs).
x = a, *(b or c), *-d, *"s", *3(a)
*a, b = *3, c
y = *a + b, *await c, *[1, 2][0]


def f():
    return *3, a
    yield *0, b


for a in *(1, 2), *b + c: pass
z: l[T] + a = *3, 4
s = f"{*0,} {x:>{*-a, b}} {*a + b,!r} {*1,=}" f"""{
    *(c or d),
}"""
