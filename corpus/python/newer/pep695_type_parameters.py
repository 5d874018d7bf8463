# PEP 695 (Python 3.12): type parameters and the type statement.
type Point = tuple[float, float]
type ListOrSet[T] = list[T] | set[T]


def first[T](items: list[T]) -> T:
    return items[0]


class Box[T: (int, str), *Ts, **P]:
    pass


def f[T: int, U: (str, bytes)](): pass
type = 1  # still a name
type(x)
