"""Every statement form of Python 3.11, each in its plainest and in an awkward spelling."""
from __future__ import annotations

import os
import os.path as osp, sys
from . import sibling
from .. import parent as p
from ...pkg.mod import (a, b as c,
    d,)
from os import *

x = 1
x = y = z = 2
a, b = b, a
[a, (b, *c)] = d, = e
x: int
x: "list[int]" = []
(x): int = 1
x.y: int
x[0]: int = 3
x += 1; x -= 1; x *= 1; x @= m; x /= 1; x //= 1; x %= 1; x **= 2
x <<= 1; x >>= 1; x &= 1; x ^= 1; x |= 1
del x, (y, z), [a], b.c, d[0], e[1:2]
pass
assert x, "message"
assert (x, y)  # a tuple: always true
raise
raise E
raise E("m") from None
global_name = None


def f(a, /, b, c=1, *args, d, e=2, **kwargs) -> None:
    global global_name
    nonlocal_holder = 0

    def inner():
        nonlocal nonlocal_holder
        nonlocal_holder += 1
        return
    return inner


async def g(*, k):
    await k
    async for i in k:
        yield i
    async with k as (a, b), k:
        pass
    return [i async for i in k if await i]


@decorator
@decorator.attr(1)
@(lambda f: f)
@x[0] if y else z
class C(Base, metaclass=Meta, **extra):
    """Doc."""

    attr: int = 0

    def method(self):
        return super().method()


if a:
    pass
elif b:
    pass
elif c:
    pass
else:
    pass

while True:
    break
else:
    continue_ = 1

for i, (j, k) in enumerate(pairs):
    continue
else:
    pass

with open(p) as f, open(q) as g:
    pass
with (open(p) as f, open(q) as g,):
    pass
with (a, b):
    pass

try:
    pass
except E:
    pass
except (E, F) as e:
    pass
except:
    pass
else:
    pass
finally:
    pass

try:
    pass
except* ValueError as eg:
    pass
except* (TypeError, KeyError):
    pass

try:
    pass
finally:
    pass

if x: y = 1; z = 2
while x: x -= 1
for i in x: print(i)
class D: pass
def h(): return 1
