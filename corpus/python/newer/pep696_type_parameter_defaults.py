# PEP 696 (Python 3.13): defaults for type parameters.
class Box[T = int]:
    pass


def f[T: int = bool, *Ts = *tuple[int], **P = [int, str]](): pass
type Alias[T = str] = list[T]
