"""The models livelatent carries: a name, the module in livelatent/generators that loads it,
and what it is (`livelatent models` prints them; a sidecar may name only these by itself)."""

# name -> (module in livelatent.generators, one-line description)
BUILTINS = {
    "default": ("default", "embedded z-modulated coordinate network: z of 512, any size, no download"),
    "dcgan-faces": ("dcgan", "DCGAN trained on faces (gan-face-generate package): z of 100, 64x64"),
}
TAKES_WEIGHTS = ("dcgan-faces",)  # NAME:PATH loads that architecture with other weights
