# shellcheck shell=bash disable=SC2034  # SERIAL_CONSOLE_RE is used by the scripts that source this
# Edits of the Pi's firmware files, each one idempotent and reversible (sourced, not run).
# config.txt gets a marked block; cmdline.txt (one line) gets or loses single tokens.

BLOCK_BEGIN="# >>> lightning-kiosk"
BLOCK_END="# <<< lightning-kiosk"
# Kernel consoles on a UART: they would print boot messages into the receipt printer.
SERIAL_CONSOLE_RE='^console=(serial[0-9]|ttyAMA[0-9]+|ttyS[0-9]+)(,.*)?$'

# Replace a file only when its content changes; prints "changed" or "unchanged".
replace_if_changed() {
  local file="$1" new="$2"
  if cmp -s "$file" "$new"; then
    rm -f "$new"
    echo unchanged
  else
    cat "$new" >"$file" # keeps the file's owner and mode (the FAT boot partition has none anyway)
    rm -f "$new"
    echo changed
  fi
}

# config_block FILE [LINES...]: our block at the end of config.txt holds exactly LINES (none: no block).
# It starts with [all] so a conditional section above it ([cm4], [pi4]...) cannot swallow it.
config_block() {
  local file="$1" tmp
  shift
  tmp="$(mktemp)"
  awk -v b="$BLOCK_BEGIN" -v e="$BLOCK_END" '$0 == b { skip = 1; next } $0 == e { skip = 0; next } !skip' \
    "$file" >"$tmp"
  if (($#)); then
    printf '%s\n' "$BLOCK_BEGIN" "[all]" "$@" "[all]" "$BLOCK_END" >>"$tmp"
  fi
  replace_if_changed "$file" "$tmp"
}

# The tokens of cmdline.txt, one per line.
cmdline_tokens() { tr '[:space:]' '\n' <"$1" | sed '/^$/d'; }

# cmdline_edit FILE ADD REMOVE_RE: append token ADD unless present (empty: none) and drop tokens
# matching REMOVE_RE (empty: none). Prints the dropped tokens, then "changed" or "unchanged".
cmdline_edit() {
  local file="$1" add="$2" remove_re="$3" tmp tokens
  tokens="$(cmdline_tokens "$file")"
  if [ -n "$remove_re" ]; then
    grep -E "$remove_re" <<<"$tokens" || true
    tokens="$(grep -vE "$remove_re" <<<"$tokens" || true)"
  fi
  if [ -n "$add" ] && ! grep -qxF -- "$add" <<<"$tokens"; then
    tokens="$tokens"$'\n'"$add"
  fi
  tmp="$(mktemp)"
  sed '/^$/d' <<<"$tokens" | paste -sd ' ' >"$tmp"
  replace_if_changed "$file" "$tmp"
}

# cmdline_prepend FILE TOKEN: put TOKEN back first (a console= we removed), unless present.
cmdline_prepend() {
  local file="$1" token="$2" tmp
  if cmdline_tokens "$file" | grep -qxF -- "$token"; then
    echo unchanged
    return
  fi
  tmp="$(mktemp)"
  { echo "$token"; cmdline_tokens "$file"; } | paste -sd ' ' >"$tmp"
  replace_if_changed "$file" "$tmp"
}
