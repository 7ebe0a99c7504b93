"""livelatent: play, record, edit and render journeys through a generator's latent space."""

__version__ = "0.1.0"
