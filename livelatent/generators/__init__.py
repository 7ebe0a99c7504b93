"""Generators: anything that maps a batch of z to images. See base.Generator and load()."""
