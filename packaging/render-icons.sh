#!/usr/bin/env bash
# Render the app icon's PNG sizes and the Windows .ico from assets/icons/backbeat.svg.
# Run it after editing the SVG and commit the results. Needs rsvg-convert (librsvg2-bin)
# and ImageMagick's convert (both in packaging/system-deps.sh --test).
set -euo pipefail
cd "$(dirname "$0")/../assets/icons"

for tool in rsvg-convert convert; do
  command -v "$tool" >/dev/null || {
    echo "render-icons: $tool is missing; run: bash packaging/system-deps.sh --test" >&2
    exit 1
  }
done
for size in 16 32 48 64 128 256 512; do
  mkdir -p "hicolor/${size}x${size}/apps"
  rsvg-convert -w "$size" -h "$size" backbeat.svg -o "hicolor/${size}x${size}/apps/backbeat.png"
done
convert hicolor/{16x16,32x32,48x48,256x256}/apps/backbeat.png backbeat.ico
echo "render-icons: wrote $(pwd)/hicolor/*/apps/backbeat.png and backbeat.ico"
