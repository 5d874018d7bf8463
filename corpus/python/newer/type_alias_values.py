# A type alias value is an expression (alone.rs); Python 3.12.
type A[T = str] = list[T] + 1
type B = b[1:] or c
