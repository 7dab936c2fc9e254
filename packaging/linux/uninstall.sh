#!/usr/bin/env bash
# Remove what packaging/linux/install.sh installed. Give it the same PREFIX (or XDG_DATA_HOME)
# the install had. Your own protocols and settings (~/.local/share/backbeat, ~/.config/Backbeat)
# and the voice cache (~/.cache/backbeat) are kept; the last lines say where they are.
set -euo pipefail

APP_ID=io.github.backbeat.backbeat

say() { echo "backbeat uninstall: $*"; }

if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
  sed -n '2,4p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit 0
fi
if [[ $# -gt 0 ]]; then
  echo "backbeat uninstall: takes no arguments; set PREFIX as for the install (see --help)" >&2
  exit 1
fi
if [[ -z "${HOME:-}" ]]; then
  echo "backbeat uninstall: HOME is not set, so there is no ~/.local to remove from" >&2
  exit 1
fi

if [[ -n "${PREFIX:-}" ]]; then
  data="$PREFIX/share"
else
  PREFIX="$HOME/.local"
  data="${XDG_DATA_HOME:-$HOME/.local/share}"
fi
app_dir="$PREFIX/lib/backbeat"
bin_link="$PREFIX/bin/backbeat"

removed=0
remove() {
  local path
  for path in "$@"; do
    if [[ -e "$path" || -L "$path" ]]; then
      rm -rf -- "$path"
      removed=$((removed + 1))
    fi
  done
}

# The terminal link goes only if it is ours: a pipx install of backbeat uses the same name.
if [[ -L "$bin_link" && "$(readlink "$bin_link")" == "$app_dir/backbeat" ]]; then
  remove "$bin_link"
fi
remove "$app_dir" "$app_dir.new" \
  "$data/applications/$APP_ID.desktop" \
  "$data/metainfo/$APP_ID.metainfo.xml" \
  "$data/icons/hicolor/scalable/apps/$APP_ID.svg" \
  "$data"/icons/hicolor/*/apps/"$APP_ID.png"

if [[ $removed -eq 0 ]]; then
  say "nothing to remove: Backbeat is not installed under $PREFIX (data: $data)"
  exit 0
fi
# Menus notice the change by themselves (the entry has no MIME types, so no desktop database
# to update). Refresh the icon cache only where one exists: creating a per-user cache would
# hide icons that other apps install later without refreshing it.
if [[ -f "$data/icons/hicolor/icon-theme.cache" ]] && command -v gtk-update-icon-cache >/dev/null; then
  gtk-update-icon-cache -q -t -f "$data/icons/hicolor" 2>/dev/null || true
fi

say "removed Backbeat from $app_dir and its menu entry, icons and metainfo ($removed items)"
say "kept your protocols and settings; delete them yourself if you want:"
say "  ${XDG_DATA_HOME:-$HOME/.local/share}/backbeat  ${XDG_CONFIG_HOME:-$HOME/.config}/Backbeat  ${XDG_CACHE_HOME:-$HOME/.cache}/backbeat"
