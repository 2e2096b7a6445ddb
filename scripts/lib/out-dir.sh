# Shared by the run scripts (quickstart.sh, compare.sh, interference.sh, soak.sh); sourced, not run.
# The scripts never delete anything: an output directory must be absent or empty, as the dart4j
# command line itself demands, and the check runs before the build so that a refused run costs
# nothing. A relative OUT_DIR is relative to the directory the script was started from.

# dart4j_out_dir DEFAULT ARG...: prints the absolute output directory: the first argument when it
# is not an option (resolved against $PWD), else DEFAULT (absolute). Exits 2 on an empty argument.
dart4j_out_dir() {
  local default="$1"
  shift
  local out="$default"
  if [ $# -gt 0 ] && [[ "$1" != -* ]]; then
    out="$1"
  fi
  if [ $# -gt 0 ] && [ -z "$1" ]; then
    echo "error: OUT_DIR is empty; name the directory to write into" >&2
    return 2
  fi
  case "$out" in
    /*) ;;
    *) out="$PWD/$out" ;;
  esac
  printf '%s\n' "$out"
}

# dart4j_takes_out_arg ARG...: true when the first argument is OUT_DIR (to be shifted away).
dart4j_takes_out_arg() {
  [ $# -gt 0 ] && [[ "$1" != -* ]]
}

# dart4j_require_new_dir DIR: refuses (exit code 1, one error line) a DIR that exists and is not an
# empty directory. Nothing is removed: earlier results are the user's to delete.
dart4j_require_new_dir() {
  local dir="$1"
  if [ -e "$dir" ] && [ ! -d "$dir" ]; then
    echo "error: output path exists and is not a directory: $dir" >&2
    return 1
  fi
  if [ -d "$dir" ] && [ -n "$(ls -A "$dir")" ]; then
    echo "error: output directory is not empty: $dir" >&2
    echo "  dart4j never writes over earlier results: pass a new OUT_DIR, or remove this one" \
      "yourself if you no longer need it" >&2
    return 1
  fi
}

# dart4j_build ROOT: packages dart4j (./mvnw -B -q package -DskipTests) unless DART4J_SKIP_BUILD=1
# says the jars in dart-examples/target are current (the packaged-CLI integration tests run the
# scripts inside the Maven build that has just packaged them).
dart4j_build() {
  if [ "${DART4J_SKIP_BUILD:-0}" != "1" ]; then
    (cd "$1" && ./mvnw -B -q package -DskipTests)
  fi
}
