# f-strings as Python 3.11 reads them.
name, width, value = "x", 10, 3.14159
f"{name}"
f"{name!r} {name!s} {name!a}"
f"{value:.2f} {value:{width}.{2}} {value:>{width}}"
f"{name=} {value = :.1f} {name=!r:^20}"
f"{{literal braces}} {{{name}}}"
f"{'nested quotes'} {'x' if True else 'y'!r}"
f'{3:{4}}'
f"{[x for x in []]}"
f"{(lambda: 1)()}"
f"{a['key']} {a.b.c} {a[0]:x}"
f"{1 + 2 = }"
f"""multi
line {name}
"""
f"{{}}"
f"{name}" f"{value}" "plain" f'{name!r}'
rf"\d{name}\n"
f"{x:{'>' if y else '<'}10}"
f"{dict(a=1)['a']}"
f"{3.14:!<10}"
f"{x:%H:%M}"
