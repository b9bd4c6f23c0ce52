"""Pause Python's cyclic garbage collector during a build.

A build allocates hundreds of thousands of short-lived objects (tokens,
strings, model blocks) and frees them by reference counting; none form
cycles worth collecting. Each allocation burst would still trigger full
collections that walk every object of the process, the clause library
included: with a large library that is a third of a build's time. The
collector runs again as soon as the build ends.
"""

from __future__ import annotations

import functools
import gc


def gc_paused(function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        if not gc.isenabled():
            return function(*args, **kwargs)
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            gc.enable()

    return wrapper
