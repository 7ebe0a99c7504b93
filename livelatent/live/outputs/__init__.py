"""Video outputs: the clean live picture sent to other programs (NDI, v4l2loopback, Spout,
Syphon), each from its own thread through a one-frame mailbox. docs/video-out.md."""
