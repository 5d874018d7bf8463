# Structural pattern matching: every pattern form.
match command.split():
    case [action]:
        pass
    case [action, obj]:
        pass
    case ["go", direction] | ["move", direction]:
        pass
    case ["drop", *objects]:
        pass
    case [*_]:
        pass

match point:
    case Point(x=0, y=0):
        print("origin")
    case Point(x=0, y=y) if y > 0:
        pass
    case Point(0, 1, z=2):
        pass
    case (1, 2) | [3, 4]:
        pass
    case {"key": value, **rest}:
        pass
    case {1: _, "a": [b, c], None: d}:
        pass
    case -1 | 1.5 | -2j | 1 + 2j | -1 - 2j | "s" "t" | b"" | None | True | False:
        pass
    case Color.RED | mod.Color.GREEN:
        pass
    case (x as y) | [x as y]:
        pass
    case str() | bytes():
        pass
    case _:
        pass

match x,:
    case _:
        pass

match = case = _ = 1  # soft keywords stay names
match(x)
match[x]
case.attr = 1
