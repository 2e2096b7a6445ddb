#!/usr/bin/env bash
# Distributed GRPO on a real Spark cluster on this machine: Spark's local-cluster mode (a master
# and 2 workers inside the driver JVM, each executor a separate JVM with 1 core and 1 GiB) runs a
# few GRPO steps of the bundled world through SparkRollouts, the same steps run in-process, and
# SparkCheck compares them (trajectory metrics equal, adapters within 1e-5). By default one
# executor JVM is killed when step 2's rollout starts: Spark reruns its task elsewhere and the step
# must still give the same trajectories. Per step it prints local vs distributed time, broadcast
# bytes, trajectory and gradient bytes and the executors' backbone loads (docs/scaling.md), and writes
# them to OUT_DIR/check/costs.jsonl for `dart4j scaling-projection --costs FILE --inputs FILE`.
# Usage: scripts/spark-cluster.sh [OUT_DIR] [SparkCheck options: --steps 3 --prompts 4
#   --group-size 2 --partitions 2 --kill-executor-at-step 2 (0: no fault) --master URL]
# OUT_DIR (default runs/spark-cluster) must be absent or empty; the script writes only inside it
# (the world, model, index, both runs and spark-home/, a Spark home of links to the jars) and never
# deletes anything. Bounded by SPARK_CHECK_TIMEOUT seconds (default 900); everything it started is
# stopped on exit (its driver runs in its own process group, executors included).
# Spark's jars: SPARK_JARS=DIR (e.g. $SPARK_HOME/jars of a Spark 4.0.x, Scala 2.13 install), or
# resolved by Maven from the version pinned in pom.xml.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=lib/out-dir.sh
. "$root/scripts/lib/out-dir.sh"
out="$(dart4j_out_dir "$root/runs/spark-cluster" "$@")"
if dart4j_takes_out_arg "$@"; then
  shift
fi
dart4j_require_new_dir "$out"
dart4j_build "$root"
target="$root/dart-examples/target"
jar="$(find "$target" -maxdepth 1 -name 'dart-examples-*.jar' ! -name '*-tests.jar' \
  ! -name '*-sources.jar' ! -name '*-javadoc.jar' | head -n 1)"
if [ -z "$jar" ] || [ ! -d "$target/lib" ]; then
  echo "dart4j is not built yet: run ./mvnw -B -q package -DskipTests" >&2
  exit 1
fi
mkdir -p "$out/spark-home/jars"
home="$out/spark-home"
: >"$home/RELEASE" # local-cluster's launcher wants a Spark home: RELEASE and jars/
if [ -n "${SPARK_JARS:-}" ]; then
  spark_cp="$SPARK_JARS/*"
  for j in "$SPARK_JARS"/*.jar; do ln -s "$j" "$home/jars/"; done
else
  # a throw-away project (inside OUT_DIR) with the pinned Spark and the project's Jackson
  prop() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$root/pom.xml" | head -n 1; }
  mkdir -p "$home/resolve"
  cat >"$home/resolve/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local</groupId><artifactId>spark-jars</artifactId><version>1</version>
  <dependencyManagement><dependencies><dependency>
    <groupId>com.fasterxml.jackson</groupId><artifactId>jackson-bom</artifactId>
    <version>$(prop jackson.version)</version><type>pom</type><scope>import</scope>
  </dependency></dependencies></dependencyManagement>
  <dependencies><dependency>
    <groupId>org.apache.spark</groupId><artifactId>spark-sql_2.13</artifactId>
    <version>$(prop spark.version)</version>
    <exclusions><exclusion><groupId>org.apache.logging.log4j</groupId>
      <artifactId>log4j-slf4j2-impl</artifactId></exclusion></exclusions>
  </dependency></dependencies>
</project>
POM
  "$root/mvnw" -B -q -f "$home/resolve/pom.xml" dependency:build-classpath \
    -Dmdep.outputFile="$home/spark-classpath.txt"
  spark_cp="$(cat "$home/spark-classpath.txt")"
  IFS=: read -r -a spark_jars <"$home/spark-classpath.txt" || true # no final newline
  for j in "${spark_jars[@]}"; do ln -sf "$j" "$home/jars/"; done
fi
# executors' classpath is SPARK_HOME/jars/*: dart4j and its libraries go there too
ln -sf "$jar" "$home/jars/"
for j in "$target"/lib/*.jar; do ln -sf "$j" "$home/jars/"; done
opens="--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false
  -Dio.netty.tryReflectionSetAccessible=true"
args=("$@")
case " ${args[*]-} " in
  *" --master "*) ;;
  *) args+=(--master 'local-cluster[2,1,1024]') ;;
esac
case " ${args[*]} " in
  *" --kill-executor-at-step "*) ;;
  *) args+=(--kill-executor-at-step 2) ;;
esac
export DJL_OFFLINE=true OPT_OUT_TRACKING=true RUST_FLAVOR=cpu SPARK_HOME="$home" \
  SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1
# shellcheck disable=SC2086 # $opens is a list of flags
setsid timeout --kill-after=30 "${SPARK_CHECK_TIMEOUT:-900}" \
  java -Xmx3g $opens -Doffline=true -Dai.djl.offline=true -Dspark.test.home="$home" \
  -cp "$jar:$target/lib/*:$spark_cp" io.github.dartrl.examples.distributed.SparkCheck \
  --dir "$out/check" "${args[@]}" &
driver=$!
# the driver leads its own process group: on any exit, stop whatever of it is left (executors)
trap 'kill -TERM -- "-$driver" 2>/dev/null || true' EXIT INT TERM
rc=0
wait "$driver" || rc=$?
kill -KILL -- "-$driver" 2>/dev/null || true
if [ "$rc" -eq 124 ]; then
  echo "error: the cluster check did not finish within ${SPARK_CHECK_TIMEOUT:-900} s" >&2
fi
exit "$rc"
