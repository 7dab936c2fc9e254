#!/usr/bin/env bash
# Install the Backbeat bundle for one user, with its menu entry, icon and AppStream metainfo.
#
#   ./install.sh [BUNDLE]      BUNDLE: the bundle folder or its .tar.gz
#
# BUNDLE defaults to the folder this script sits in (when it ships inside the bundle), else
# dist/backbeat of the source checkout it belongs to. Files go to:
#   $PREFIX/lib/backbeat/            the app            (PREFIX defaults to ~/.local)
#   $PREFIX/bin/backbeat             a link to it, for the terminal
#   $DATA/applications, $DATA/metainfo, $DATA/icons/hicolor
#                                    where DATA is $PREFIX/share when PREFIX is given,
#                                    else ${XDG_DATA_HOME:-~/.local/share}
# Running it again replaces the installed copy. packaging/linux/uninstall.sh undoes it.
set -euo pipefail

APP_ID=io.github.backbeat.backbeat
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

say() { echo "backbeat install: $*"; }
fail() {
  echo "backbeat install: $*" >&2
  exit 1
}

if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
  sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit 0
fi
[[ $# -le 1 ]] || fail "too many arguments; give at most one bundle folder or .tar.gz (see --help)"
[[ -n "${HOME:-}" ]] || fail "HOME is not set, so there is no ~/.local to install into"

uninstall_env=""
if [[ -n "${PREFIX:-}" ]]; then
  data="$PREFIX/share"
  uninstall_env="PREFIX=$PREFIX "
else
  PREFIX="$HOME/.local"
  data="${XDG_DATA_HOME:-$HOME/.local/share}"
fi
[[ "$PREFIX" == /* && "$data" == /* ]] || fail "PREFIX and XDG_DATA_HOME must be absolute paths"
case "$PREFIX" in
  *[\"\`\$\\]* | *$'\n'*)
    fail "PREFIX '$PREFIX' holds a quote, backquote, dollar, backslash or newline, which a menu entry cannot name; choose another PREFIX" ;;
esac

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# --- find the bundle ---------------------------------------------------------------------
bundle="${1:-}"
if [[ -z "$bundle" ]]; then
  if [[ -x "$here/backbeat" && -f "$here/$APP_ID.desktop" ]]; then
    bundle="$here"
  else
    bundle="$here/../../dist/backbeat"
  fi
fi
if [[ -f "$bundle" && "$bundle" == *.tar.gz ]]; then
  tar -C "$work" -xzf "$bundle" || fail "$bundle is not a readable .tar.gz"
  bundle="$work/backbeat"
fi
[[ -x "$bundle/backbeat" ]] \
  || fail "no Backbeat bundle at $bundle (it has no 'backbeat' program). Build one with 'make bundle', or name the bundle folder or .tar.gz."
bundle=$(cd "$bundle" && pwd)
version=$("$bundle/backbeat" --version 2>&1) \
  || fail "the bundle at $bundle does not start: $version"

# The menu entry, metainfo and icons come from the bundle's own copy when it has one (a
# downloaded bundle), else from the source checkout next to this script.
find_file() {
  local name
  for name in "$@"; do
    [[ -f "$name" ]] && { echo "$name"; return 0; }
  done
  return 1
}
desktop_src=$(find_file "$bundle/$APP_ID.desktop" "$here/$APP_ID.desktop") \
  || fail "cannot find $APP_ID.desktop in the bundle or next to this script"
metainfo_src=$(find_file "$bundle/$APP_ID.metainfo.xml" "$here/$APP_ID.metainfo.xml") \
  || fail "cannot find $APP_ID.metainfo.xml in the bundle or next to this script"
icons_src=""
for candidate in "$bundle/_internal/backbeat/data/assets/icons" "$here/../../assets/icons"; do
  [[ -f "$candidate/backbeat.svg" ]] && { icons_src=$(cd "$candidate" && pwd); break; }
done
[[ -n "$icons_src" ]] || fail "cannot find the Backbeat icons (assets/icons/backbeat.svg)"

# --- install -----------------------------------------------------------------------------
app_dir="$PREFIX/lib/backbeat"
bin_link="$PREFIX/bin/backbeat"
say "installing $version into $app_dir"
mkdir -p "$PREFIX/lib" "$PREFIX/bin" "$data/applications" "$data/metainfo"
if [[ "$bundle" != "$app_dir" ]]; then
  # Copy beside the old copy, then swap, so a failed copy leaves the old install working.
  rm -rf "$app_dir.new"
  cp -a "$bundle" "$app_dir.new"
  rm -rf "$app_dir"
  mv "$app_dir.new" "$app_dir"
fi

if [[ -L "$bin_link" || ! -e "$bin_link" ]]; then
  ln -sfn "$app_dir/backbeat" "$bin_link"
else
  say "left $bin_link alone: it is not ours (a pipx install?); the menu entry does not need it"
fi

# Exec and TryExec point at the installed program itself, so the menu entry works whether
# or not $PREFIX/bin is on the PATH of the desktop session. Exec quotes the path (spaces are
# fine); the characters a desktop entry would need escaped are refused above.
while IFS= read -r line || [[ -n "$line" ]]; do
  case "$line" in
    "#"*) ;;
    "Exec=backbeat "*) echo "Exec=\"$app_dir/backbeat\" ${line#Exec=backbeat }" ;;
    "TryExec=backbeat") echo "TryExec=$app_dir/backbeat" ;;
    *) echo "$line" ;;
  esac
done <"$desktop_src" >"$data/applications/$APP_ID.desktop"
cp "$metainfo_src" "$data/metainfo/$APP_ID.metainfo.xml"

for png in "$icons_src"/hicolor/*/apps/backbeat.png; do
  size=$(basename "$(dirname "$(dirname "$png")")")
  mkdir -p "$data/icons/hicolor/$size/apps"
  cp "$png" "$data/icons/hicolor/$size/apps/$APP_ID.png"
done
mkdir -p "$data/icons/hicolor/scalable/apps"
cp "$icons_src/backbeat.svg" "$data/icons/hicolor/scalable/apps/$APP_ID.svg"

# Menus notice the change by themselves (the entry has no MIME types, so no desktop database
# to update). Refresh the icon cache only where one exists: creating a per-user cache would
# hide icons that other apps install later without refreshing it.
if [[ -f "$data/icons/hicolor/icon-theme.cache" ]] && command -v gtk-update-icon-cache >/dev/null; then
  gtk-update-icon-cache -q -t -f "$data/icons/hicolor" 2>/dev/null || true
fi

say "done. Backbeat is in your application menu (Utility); in a terminal run: $bin_link"
case ":$PATH:" in
  *":$PREFIX/bin:"*) ;;
  *) say "note: $PREFIX/bin is not on your PATH, so type the full path above in a terminal" ;;
esac
uninstaller="$app_dir/uninstall.sh"
[[ -f "$uninstaller" ]] || uninstaller="$here/uninstall.sh"
say "to remove it: ${uninstall_env}$uninstaller (your own protocols are kept)"
