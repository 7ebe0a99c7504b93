class EasyDict(dict):
    """A dict whose keys read as attributes (as in NVIDIA's dnnlib)."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name, value):
        self[name] = value
