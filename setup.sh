#!/usr/bin/env bash
# Set up livelatent in ./.venv on a fresh machine.
#   ./setup.sh          the package and its Python dependencies (CPU torch unless one is installed),
#                       and, as root, Mesa's EGL and ALSA's library if the machine lacks them
#   ./setup.sh --test   also what the tests use: melt (Kdenlive's engine), a JACK server, Xvfb,
#                       Mesa's EGL (apt packages, when run as root), pytest, the DCGAN test model
#                       the otio extra (OpenTimelineIO and its EDL / FCP / FCP X / AAF adapters),
#                       the console extra (Dear ImGui) and xdotool (clicks on the console in the tests),
#                       the ndi extra (cyndilib, which ships the NDI runtime: video out tests),
#                       the audio extra (JACK-Client, sounddevice + PortAudio: live sound in)
#                       and the discovery extra (zeroconf: mDNS, tested only inside a network namespace)
set -euo pipefail
cd "$(dirname "$0")"
want_tests=0
[[ "${1:-}" == "--test" ]] && want_tests=1

# Debian packages: what the show needs (Mesa's EGL for --headless, ALSA's library for MIDI),
# and with --test what the tests drive (melt, a JACK server, Xvfb).
need=()
[[ -e /usr/share/glvnd/egl_vendor.d/50_mesa.json ]] || need+=(libegl1 libegl-mesa0 libgl1-mesa-dri libgles2)
ldconfig -p 2>/dev/null | grep -q libasound.so.2 || need+=(libasound2)
if [[ $want_tests == 1 ]]; then
    command -v melt >/dev/null || need+=(melt frei0r-plugins)
    command -v jackd >/dev/null || need+=(jackd2)
    ldconfig -p 2>/dev/null | grep -q libportaudio.so.2 || need+=(libportaudio2)  # sounddevice (the audio extra)
    command -v Xvfb >/dev/null || need+=(xvfb xauth)
    command -v xdotool >/dev/null || need+=(xdotool)  # clicks on the operator console, as a person would
fi
if ((${#need[@]})); then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
    elif [[ $want_tests == 1 ]]; then
        echo "setup.sh: the tests need these Debian packages: ${need[*]} (run as root, or install them)" >&2
        exit 1
    else
        echo "setup.sh: note: --headless needs Mesa's EGL and MIDI needs ALSA's library; missing: ${need[*]}" >&2
    fi
fi

[[ -x .venv/bin/python ]] || python3 -m venv .venv
pip=(.venv/bin/python -m pip install -q --disable-pip-version-check)
# The CPU build of torch; a user with an NVIDIA GPU installs a CUDA build first and keeps it.
.venv/bin/python -c "import torch" 2>/dev/null || "${pip[@]}" "torch==2.13.0"
if [[ $want_tests == 1 ]]; then
    "${pip[@]}" -e ".[test,otio,ray,console,ndi,audio,discovery]"
    # A real trained GAN for the tests; its declared dependencies would pull a CUDA torch.
    "${pip[@]}" --no-deps "gan-face-generate"
else
    "${pip[@]}" -e .
fi
