/**
 * Distributed GRPO on Spark from the command line: the bundled world's equivalence and cost check
 * ({@link io.github.dartrl.examples.distributed.SparkCheck}, scripts/spark-cluster.sh) and the
 * worker recipes of {@code train-real --spark-master}.
 */
package io.github.dartrl.examples.distributed;
