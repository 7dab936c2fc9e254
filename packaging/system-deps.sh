#!/usr/bin/env bash
# Install the system packages Backbeat needs, only those that are missing.
#   bash packaging/system-deps.sh          # what running the app needs
#   bash packaging/system-deps.sh --test   # plus what the test suite uses
set -euo pipefail

runtime=(
  python3-venv python3-dev gcc   # the .venv, and simpleaudio has no wheel: pip compiles it
  libasound2-dev        # simpleaudio builds against ALSA
  espeak-ng             # fallback voice when Piper is unavailable
  libportaudio2         # the sound output (PortAudio, through sounddevice)
  libegl1 libgl1 libfontconfig1 libdbus-1-3 libxkbcommon-x11-0
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-randr0
  libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1
)
testing=(
  pulseaudio pulseaudio-utils   # a null sink records what the app really played
  libasound2-plugins            # ALSA -> PulseAudio routing for simpleaudio in the null-sink tests
  xvfb x11-utils imagemagick    # a real window and its screenshot
  xdotool                       # sends Ctrl+Q to the real window in the Xvfb test
  tmux                          # drives the terminal coach with keys in the live-sound test
  sox                           # audio checks in benchmarks
  desktop-file-utils appstream  # validate the desktop entry and metainfo
  librsvg2-bin                  # packaging/render-icons.sh: the app icon's PNG sizes
  binutils                      # make bundle: PyInstaller reads libraries with objdump
)

wanted=("${runtime[@]}")
[[ "${1:-}" == "--test" ]] && wanted+=("${testing[@]}")

if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-query >/dev/null 2>&1; then
  echo "backbeat setup: this is not a Debian/Ubuntu system, so system packages are not installed" >&2
  echo "automatically. Install the equivalents of: ${wanted[*]}" >&2
  exit 0
fi

missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

sudo=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    echo "backbeat setup: missing system packages: ${missing[*]}" >&2
    echo "Run as root: apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi
echo "backbeat setup: installing ${missing[*]}"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
