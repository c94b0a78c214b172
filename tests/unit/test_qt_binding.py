"""Guards against a PySide6 build that corrupts the reference count of `True`.

PySide6-Essentials 6.12.0 on CPython 3.11 lowers the reference count of `True` on every
`Signal.emit()` called from Python, and after a few hundred emits the interpreter aborts with
`Fatal Python error: bool_dealloc` (SIGABRT: exit status 134 in a shell, -6 from subprocess).
The emits run in a child process so that such an abort fails this test instead of ending the
whole test run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

EMITS = 10_000

CHILD = textwrap.dedent(
    f"""
    from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

    class Sender(QObject):
        toggled = Signal(bool)

    class Receiver(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.calls = 0
            self.values = set()

        @Slot(bool)
        def on_toggled(self, value: bool) -> None:
            self.calls += 1
            self.values.add(value)

    app = QCoreApplication([])
    sender = Sender()
    receiver = Receiver()
    sender.toggled.connect(receiver.on_toggled)
    for _ in range({EMITS}):
        sender.toggled.emit(True)
    print("calls", receiver.calls)
    print("values", sorted(receiver.values))
    """
)


def test_signal_emit_bool_keeps_interpreter_alive() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")

    result = subprocess.run(
        [sys.executable, "-c", CHILD],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, f"exit code {result.returncode}, stderr:\n{result.stderr}"
    lines = result.stdout.splitlines()
    assert f"calls {EMITS}" in lines, result.stdout
    assert "values [True]" in lines, result.stdout
