# A starred bound of a type parameter (PEP 695): a bound is an expression.
class Box[T: **P]:
    pass
