"""How a point moves through latent space: geometry, movers, splines, paths and metrics.

Pure numpy, no I/O. The live loop, journeys, replay and conform all move z with this package:

    from livelatent.motion import MotionParams, make_mover, blend
    mover = make_mover(MotionParams(settle_time=1.5), start)
    mover.retarget(keyframe); mover.step(1 / 240)
"""

from livelatent.motion import metrics
from livelatent.motion.geometry import blend
from livelatent.motion.movers import Mover, make_mover, switch_mover
from livelatent.motion.params import MOVERS, MotionParams
from livelatent.motion.paths import build_path

__all__ = ["MOVERS", "MotionParams", "Mover", "blend", "build_path", "make_mover", "metrics", "switch_mover"]
