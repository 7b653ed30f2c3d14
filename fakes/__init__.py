"""Fakes of the outside services MediaNest talks to, served on 127.0.0.1 for tests and the demo.

Each fake is a :class:`fakes.base.FakeService` (start/stop/reset/set_mode); see the module of each one
for its routes, control endpoints and fixed tokens, and :mod:`fakes.__main__` to run them all.
"""
