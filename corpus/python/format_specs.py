# A format spec is text up to its field's `}`; tree-sitter lexes it as code (format_specs.rs).
a = f"{x:==10)}"
b = f"{x:=*^rg$fe10}" f'{y:=(a}' f"{z:=a]}"
c = f"{x:={w}}" f"{x:={w}.{p}f}"
d = f"{x:[}" + f"{y:'}" + f'{v!r:>{w}(}'
e = f"""{x:
}"""
f = f"""{x:>{w}
}"""
