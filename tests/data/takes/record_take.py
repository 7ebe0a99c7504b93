"""How take-20261207-071339-145 was recorded (kept for provenance; the tests only read the take).

A headless show of a tiny conditional StyleGAN pickle, played from an OSC panel (a knob, a
store, the HUD, psi, class, a mover switch, noise, slots) with the autopilot drawing random
keyframes:

    R=tests/generators/fake_stylegan_repo
    PYTHONPATH=$R .venv/bin/python $R/make_pickle.py /tmp/conditional.pkl 7 3
    .venv/bin/python tests/data/takes/record_take.py $R /tmp/conditional.pkl /tmp/recordings
"""
import socket, subprocess, sys, threading, time
from pythonosc.udp_client import SimpleUDPClient

repo, pkl, out = sys.argv[1], sys.argv[2], sys.argv[3]
def free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p
fb = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); fb.bind(("127.0.0.1", 0)); fb.settimeout(120)
port = free_port()
cues = [(0.3, "/livelatent/motion/damping", 0.3), (0.6, "/livelatent/keyframe/3", 1.0),
        (1.0, "/livelatent/model/psi", 0.5), (1.3, "/livelatent/hud", 0), (1.6, "/livelatent/store/5", 1.0),
        (1.9, "/livelatent/motion/settle_time/raw", 0.8), (2.2, "/livelatent/model/class", 2),
        (2.4, "/livelatent/motion/mover", "smooth"), (2.6, "/livelatent/noise", 0.4),
        (2.8, "/livelatent/keyframe", [5, 0.5]), (3.1, "/livelatent/hud", 1), (3.3, "/livelatent/model/psi/raw", 0.8)]
cmd = [sys.executable, "-m", "livelatent", "perform", "--headless", "--duration", "4", "--record", "--autopilot", "1.5",
       "--model", pkl, "--stylegan-repo", repo, "--size", "16x16", "--record-fps", "30", "--seed", "11",
       "--recordings", out, "--osc-port", str(port), "--osc-feedback", f"127.0.0.1:{fb.getsockname()[1]}", "--device", "cpu", "--class", "1"]
proc = subprocess.Popen(cmd)
fb.recvfrom(65536)
client = SimpleUDPClient("127.0.0.1", port)
start = time.monotonic()
for at, address, value in cues:
    time.sleep(max(0.0, start + at - time.monotonic()))
    client.send_message(address, value)
sys.exit(proc.wait())
