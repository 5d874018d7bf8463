"""encode_batch and decode_batch: order, bad rows, threads, the GIL, and fork."""

import multiprocessing
import threading

import pytest

import simpy_grammar as sg

GOOD = "def f(x):\n    return x + 1\n"
PY2 = "print 'hello'\n"


def sources(stdlib_sample):
    return [data.decode("utf-8", "replace") for _, data in stdlib_sample]


def test_a_batch_equals_one_call_per_row_in_order(stdlib_sample):
    rows = sources(stdlib_sample) + [PY2, GOOD]
    one_by_one = []
    for row in rows:
        try:
            one_by_one.append(sg.encode(row))
        except sg.SimpyError:
            one_by_one.append(None)
    assert sg.encode_batch(rows) == one_by_one
    assert sg.encode_batch(rows, threads=1) == one_by_one
    assert sg.encode_batch(rows, threads=3) == one_by_one
    simpy = [s for s in one_by_one if s is not None]
    assert sg.decode_batch(simpy) == [sg.decode(s) for s in simpy]


def test_a_bad_row_never_fails_the_batch():
    assert sg.encode_batch([GOOD, PY2, None, GOOD]) == [sg.encode(GOOD), None, None, sg.encode(GOOD)]
    returned = sg.encode_batch([GOOD, PY2], errors="return")
    assert returned[0] == sg.encode(GOOD)
    assert isinstance(returned[1], sg.SimpyError)
    assert (returned[1].row, returned[1].kind) == (1, "invalid_python")
    decoded = sg.decode_batch(["<pass>", "<block_end>"], errors="return")
    assert decoded[0] == "pass\n" and decoded[1].kind == "invalid_simpy"


def test_errors_raise_names_the_first_bad_row():
    with pytest.raises(sg.SimpyError) as caught:
        sg.encode_batch([GOOD, GOOD, PY2, PY2], errors="raise")
    assert caught.value.row == 2


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="threads"):
        sg.encode_batch([GOOD], threads=0)
    with pytest.raises(ValueError, match="errors"):
        sg.encode_batch([GOOD], errors="ignore")
    with pytest.raises(TypeError):
        sg.encode_batch([1])


def test_bytes_rows_are_taken():
    assert sg.encode_batch([GOOD.encode()]) == [sg.encode(GOOD)]
    assert sg.decode_batch([b"<pass>"]) == ["pass\n"]


def test_a_batch_releases_the_gil(stdlib_sample):
    """Python code in another thread runs while a batch converts."""
    rows = sources(stdlib_sample) * 4
    ticks = 0
    running = threading.Event()
    done = threading.Event()

    def count():
        nonlocal ticks
        running.set()
        while not done.is_set():
            ticks += 1

    counter = threading.Thread(target=count)
    counter.start()
    running.wait()
    before = ticks
    sg.encode_batch(rows, threads=1)
    during = ticks - before
    done.set()
    counter.join()
    # With the GIL held for the whole batch, the counter could only run in the moments before
    # and after it; released, it runs all through (hundreds of thousands of ticks).
    assert during > 1000


def _child(queue):
    # The default runs on the calling thread; asking for threads builds the child's own pool.
    queue.put((sg.default_threads(), sg.encode_batch([GOOD] * 64), sg.encode_batch([GOOD] * 64, threads=2)))


def test_a_forked_child_runs_batches_without_the_parents_threads():
    sg.encode_batch([GOOD] * 64, threads=2)  # the parent's pool is running
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_child, args=(queue,))
    child.start()
    threads, rows, rows_on_two = queue.get(timeout=60)
    child.join(timeout=60)
    assert child.exitcode == 0
    assert threads == 1
    assert rows == rows_on_two == [sg.encode(GOOD)] * 64
