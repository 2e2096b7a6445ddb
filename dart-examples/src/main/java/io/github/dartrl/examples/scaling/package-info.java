/**
 * Projection of a distributed GRPO step to E executors from measured parts (docs/scaling.md): the
 * per-step costs that {@code scripts/spark-cluster.sh} measures, a real-shaped step time and the
 * target model's shape.
 */
package io.github.dartrl.examples.scaling;
