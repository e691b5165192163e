#!/usr/bin/env bash
# Regenerate every screenshot in docs/tour: the tour in English and Chinese, at 800x480 (the
# official 7" display) and 720x1280 (Touch Display 2, portrait), each with what it shows as JSON
# (tools/tour/structure.py; tests/docs/test_docs_current.py compares them with the code). Headless;
# run after changing a screen or a text (scripts/regenerate-docs.sh runs it), then open the PNGs.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh runtime
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
for language in en zh_CN; do
  for size in 800x480 720x1280; do
    out=docs/tour
    [ "$language" = zh_CN ] && out="$out/zh"
    [ "$size" = 720x1280 ] && out="$out/portrait"
    config="$scratch/$language-$size.toml"
    printf '[ui]\nlanguage = "%s"\nwidth = %s\nheight = %s\n' "$language" "${size%x*}" "${size#*x}" >"$config"
    rm -rf "$scratch/tour" && mkdir -p "$out"
    SDL_VIDEODRIVER=offscreen KIVY_NO_ARGS=1 KIVY_NO_FILELOG=1 \
      .venv/bin/python main.py --config "$config" --demo --tour "$scratch/tour" >"$scratch/tour.log" 2>&1 \
      || { tail -n 30 "$scratch/tour.log" >&2; echo "tour failed: $language $size" >&2; exit 1; }
    rm -f "$out"/*.png "$out"/*.json  # a screen the tour no longer shows goes too
    cp "$scratch"/tour/*.png "$scratch"/tour/*.json "$out/"
    echo "$out: $(find "$scratch/tour" -name '*.png' | wc -l) screens ($language, $size)"
  done
done
