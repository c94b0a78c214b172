"""The desktop window: Qt widgets on top of the engine. `app.run_gui()` starts it."""
