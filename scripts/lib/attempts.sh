# Resumable studies (compare-study.sh, leas-controls.sh): a part of a study lives in its own
# directory; an unfinished attempt is kept as it is and the next one goes beside it, so nothing a
# run wrote is ever deleted or overwritten.

# next_attempt DIR: DIR if absent, else the first absent DIR.retry-K (K from 2)
next_attempt() {
  local dir="$1" k=2
  if [ ! -e "$dir" ]; then
    printf '%s\n' "$dir"
    return
  fi
  while [ -e "$dir.retry-$k" ]; do k=$((k + 1)); done
  printf '%s\n' "$dir.retry-$k"
}

# finished DIR FILE: prints the first of DIR, DIR.retry-* that holds FILE (a finished attempt)
finished() {
  local d
  for d in "$1" "$1".retry-*; do
    if [ -f "$d/$2" ]; then
      printf '%s\n' "$d"
      return 0
    fi
  done
  return 1
}
