"""The operator console: a second window (Dear ImGui, in a process of its own) that shows the
bank as thumbnails and the instrument's state, and plays the show through the bus.
See docs/console.md."""
